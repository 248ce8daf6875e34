"""Strict content models: one module per content type. A typo in a key fails loudly."""
