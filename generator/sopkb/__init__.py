"""sopkb: structured SOPs in, a searchable static training site out."""

__version__ = "0.1.0"
