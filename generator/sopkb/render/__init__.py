"""Pure functions from the knowledge base to pages: no I/O besides returning text."""
