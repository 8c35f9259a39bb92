"""How the CLI speaks: exit codes, one-line errors, and the tables it prints.

Exit codes (README.md): 0 success, 1 failed items or a failed run, 2 usage error, 3 feed locked.
Every expected error is one line naming the problem and the fix, never a traceback. Messages
are printed literally: a feed name like ``[/x]`` or SQL text in a run's error is not markup.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import NoReturn

import orjson
from rich.console import Console
from rich.text import Text

from exporters.exceptions import ExportError, TerminalError, UnknownFeed
from exporters.runs import FeedLocked, Run
from tasks.progress import summary_table

EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_LOCKED = 0, 1, 2, 3

#: Piped output (logs, CI, tests) gets a wide console so tables keep their columns readable.
_WIDTH = None if sys.stdout.isatty() else 200
console = Console(highlight=False, soft_wrap=True, width=_WIDTH)
errors = Console(stderr=True, highlight=False, soft_wrap=True)


def say(message: str) -> None:
    """One line on stdout, printed as it is."""
    console.print(Text(message), soft_wrap=True)


def warn(message: str) -> None:
    """One line on stderr, printed as it is."""
    errors.print(Text(message), soft_wrap=True)


def error_line(message: str) -> None:
    errors.print(Text.assemble(("error:", "red"), " ", message), soft_wrap=True)


def fail(message: str, code: int) -> NoReturn:
    error_line(message)
    sys.exit(code)


@contextmanager
def one_line_errors() -> Iterator[None]:
    """Turn the exporter's errors into one line on stderr and the contract's exit code."""
    try:
        yield
    except FeedLocked as exc:
        fail(str(exc), EXIT_LOCKED)
    except UnknownFeed as exc:
        fail(str(exc), EXIT_USAGE)
    except ExportError as exc:
        fail(str(exc), EXIT_USAGE if isinstance(exc, TerminalError) else EXIT_FAILED)


def print_run(run: Run) -> None:
    console.print(summary_table(run))
    say(
        f"options: {orjson.dumps(run.options).decode()}  batch size: {run.batch_size}  "
        f"threads: {run.thread_count}  planned on {run.host} (pid {run.pid})"
    )
    if run.error:
        say(f"error: {run.error}")
    if run.report and (run.report.get("chunks") or run.report.get("items") or run.report.get("errorCounts")):
        say("failure report:")
        console.print_json(orjson.dumps(run.report).decode())
