"""Inventory import: one parser module per input format, detected from content."""
