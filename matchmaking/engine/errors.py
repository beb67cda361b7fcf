"""Errors the engine raises for input that a person must correct.

Every one carries a message that names the field or the constraint; the
command-line face prints it as ``error: <message>`` and exits with status 2.
"""

from __future__ import annotations


class EngineInputError(ValueError):
    """Input that is malformed, out of range or refers to an undeclared id."""


class InfeasibleError(EngineInputError):
    """A constraint set that no solution can meet (the message names which)."""
