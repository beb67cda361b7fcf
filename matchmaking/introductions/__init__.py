"""Introductions between investors and founders (pages; the rules are in matches.introductions)."""
