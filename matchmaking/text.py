"""Plain text on one line: what a form refuses and what a stored value becomes
on its way into an e-mail header or a calendar (no Flask here)."""

from __future__ import annotations

import re
import unicodedata

#: Unicode categories that have no place on one line: controls (line feed,
#: carriage return, tab, NUL, ...), invisible format characters (bidi
#: overrides, byte-order mark, ...), line and paragraph separators, and
#: lone surrogates.
_NOT_ON_ONE_LINE = frozenset({"Cc", "Cf", "Zl", "Zp", "Cs"})
#: Format characters that are part of how text is written: the zero-width
#: non-joiner and joiner (Persian and Indic names, emoji sequences).
_WRITING = frozenset({"\u200c", "\u200d"})


def _breaks_the_line(char: str) -> bool:
    return unicodedata.category(char) in _NOT_ON_ONE_LINE and char not in _WRITING


def is_one_line(text: str) -> bool:
    """Whether ``text`` has no line break, tab or other control character."""
    return not any(_breaks_the_line(c) for c in text)


def single_line(text: object) -> str:
    """``text`` on one line: each run of control characters (with the spaces
    around it) becomes one space, and the spaces around the whole go. For
    values already stored, on their way into an e-mail subject or a calendar."""
    marked = "".join("\x00" if _breaks_the_line(c) else c for c in str(text))
    return re.sub(" *\x00[\x00 ]*", " ", marked).strip()


def unix_lines(text: str) -> str:
    """``text`` with every line break as ``\\n`` (a calendar's description)."""
    return re.sub("\r\n?|[\x0b\x0c\x1c-\x1e\x85\u2028\u2029]", "\n", text)
