"""Built-in page templates, theme overrides and browser assets (a KB may override any of them)."""
