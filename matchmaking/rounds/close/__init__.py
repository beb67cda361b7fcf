"""Funding rounds: close (see matchmaking/rounds/__init__.py)."""
