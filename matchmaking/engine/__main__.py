"""``python -m matchmaking.engine rank|lineup|schedule [INPUT] [-o OUTPUT]``."""

from __future__ import annotations

from matchmaking.engine.cli import main

raise SystemExit(main())
