"""Agent search: a sharded, field-weighted index written at build time, queried in the browser."""
