"""sopkb.core"""
