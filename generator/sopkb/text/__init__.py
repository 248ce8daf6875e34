"""sopkb.text"""
