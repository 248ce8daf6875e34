"""sopkb.domain"""
