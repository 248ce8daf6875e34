"""sopkb.build"""
