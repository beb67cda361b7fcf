"""URL converters: ``<int:...>`` ids that the databases can hold."""

from __future__ import annotations

from typing import Any

from werkzeug.routing import IntegerConverter, ValidationError

from matchmaking.numbers import ID_MAX, at_most_pattern, parse_id


class IdConverter(IntegerConverter):
    """An id in the path: ASCII digits, 1 .. 2^31 - 1 (ids are ``INTEGER`` on
    PostgreSQL), no leading zero. Anything else (``²``, ``٣``, ``2147483648``,
    ``0``, ``007``) does not match the route at all: a 404 whatever the method,
    never a database error or another row's id."""

    regex = at_most_pattern(ID_MAX)

    def __init__(self, map: Any, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("max", ID_MAX)
        super().__init__(map, *args, **kwargs)

    def to_python(self, value: str) -> int:
        number = parse_id(value)
        if number is None:
            raise ValidationError()
        return number
