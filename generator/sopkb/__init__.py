"""sopkb: structured SOPs in, a searchable static training site out."""
