"""Extract the strings, merge them into both catalogues, fill in Norwegian.

    python scripts/translate.py [TRANSLATIONS.json ...]

Each JSON file maps an English msgid to its Norwegian bokmål text. Without
files it only extracts and merges (what ``make translations`` does) and lists
the strings that still lack Norwegian. A lock file keeps two runs from
writing the catalogues at once.
"""

from __future__ import annotations

import fcntl
import json
import subprocess
import sys
from pathlib import Path

from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
TRANSLATIONS = ROOT / "matchmaking" / "translations"
POT = TRANSLATIONS / "messages.pot"
PYBABEL = [sys.executable, "-m", "babel.messages.frontend"]


def main(paths: list[str]) -> int:
    extra: dict[str, str] = {}
    for path in paths:
        extra.update(json.loads(Path(path).read_text(encoding="utf-8")))
    with (TRANSLATIONS / ".lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        subprocess.run(
            [
                *PYBABEL,
                "extract",
                "-F",
                "babel.cfg",
                "-k",
                "_l",
                "--no-location",
                "--sort-output",
                "-o",
                str(POT),
                "matchmaking",
                "templates",
            ],
            cwd=ROOT,
            check=True,
            capture_output=True,
        )
        subprocess.run(
            [
                *PYBABEL,
                "update",
                "-i",
                str(POT),
                "-d",
                str(TRANSLATIONS),
                "--no-fuzzy-matching",
                "--ignore-obsolete",
            ],
            cwd=ROOT,
            check=True,
            capture_output=True,
        )
        po_path = TRANSLATIONS / "nb" / "LC_MESSAGES" / "messages.po"
        with po_path.open("rb") as fh:
            catalogue = read_po(fh, locale="nb")
        missing = []
        for message in catalogue:
            if not message.id:
                continue
            if message.id in extra:
                message.string = extra[message.id]
            if not message.string:
                missing.append(message.id)
        with po_path.open("wb") as fh:
            write_po(fh, catalogue, width=100, ignore_obsolete=True)
        subprocess.run(
            [*PYBABEL, "compile", "-d", str(TRANSLATIONS)],
            cwd=ROOT,
            check=True,
            capture_output=True,
        )
    for msgid in missing:
        print(f"untranslated: {msgid!r}")
    return 1 if missing else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
