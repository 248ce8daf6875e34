"""Checks that turn source documents into models, or into located problems: schema, references, flow."""
