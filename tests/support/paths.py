"""Where the repository and the virtualenv's programs are."""

from __future__ import annotations

import sys
from pathlib import Path

#: The repository root (the folder holding ``pyproject.toml``).
REPO = Path(__file__).resolve().parents[2]
#: The folder of the running interpreter, where ``saas-export`` and ``celery`` are installed.
BIN = Path(sys.executable).parent
