"""Funding rounds: page (see matchmaking/rounds/__init__.py)."""
