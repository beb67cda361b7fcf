"""What the funded companies became: six-monthly follow-up reports.

Importing this package registers every route on :data:`bp`.
"""

from matchmaking.results.blueprint import bp

__all__ = ["bp"]
