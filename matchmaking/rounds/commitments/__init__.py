"""Funding rounds: commitments (see matchmaking/rounds/__init__.py)."""
