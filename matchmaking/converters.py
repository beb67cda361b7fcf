"""URL converters: ``<int:...>`` ids that the databases can hold."""

from __future__ import annotations

from typing import Any

from werkzeug.routing import IntegerConverter


class IdConverter(IntegerConverter):
    """An integer id no larger than a 64-bit column holds: a longer number in
    the address is a 404, not an OverflowError in the database driver."""

    def __init__(self, map: Any, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("max", 2**63 - 1)
        super().__init__(map, *args, **kwargs)
