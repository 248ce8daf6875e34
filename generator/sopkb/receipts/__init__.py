"""Completion receipts: read them, check them against the quiz sources, and report a roster."""
