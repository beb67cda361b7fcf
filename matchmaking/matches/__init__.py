"""Matches: stored, explained scores, an investor's choices and introductions."""
