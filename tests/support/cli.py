"""The installed programs (``saas-export``, ``celery``) run as subprocesses, as an operator runs them."""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

import pytest

from tests.support.paths import BIN


def clean_environ(**env: str) -> dict[str, str]:
    """This process's environment without any ``SAAS_EXPORT_*`` setting, plus ``env``."""
    return {**{k: v for k, v in os.environ.items() if not k.startswith("SAAS_EXPORT_")}, **env}


def run_program(
    program: str, *args: str, cwd: Path, env: dict[str, str], timeout: float
) -> subprocess.CompletedProcess[str]:
    """Run ``program`` from the virtualenv to its end; fail the test, with its output so far, if it
    has not ended within ``timeout`` seconds."""
    try:
        return subprocess.run(
            [str(BIN / program), *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout
        )
    except subprocess.TimeoutExpired as expired:
        pytest.fail(
            f"waited {timeout:g}s for `{program} {' '.join(args)}` to exit; it was still running with\n"
            f"stdout: {_text(expired.stdout)}\nstderr: {_text(expired.stderr)}",
            pytrace=False,
        )


def saas_export(cwd: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    """``saas-export *args`` in ``cwd`` with no ``SAAS_EXPORT_*`` setting but ``env``."""
    return run_program("saas-export", *args, cwd=cwd, env=clean_environ(**env), timeout=300)


def resync_complete(summary: str) -> re.Pattern[str]:
    """The line a finished full resync of the feed named ``summary`` prints, whatever time it took."""
    return re.compile(rf"{re.escape(summary)} feed data full re-sync complete in \d{{2}}:\d{{2}}:\d{{2}}")


def _text(output: str | bytes | None) -> str:
    return output.decode(errors="replace") if isinstance(output, bytes) else output or ""
