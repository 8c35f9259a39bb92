"""The ``saas-export`` command group, modelled on ``bin/magento saas:resync``, and its entry point."""

from __future__ import annotations

from collections.abc import Sequence

import click

from config import ConfigurationError
from tasks.cli.maintenance import db, feeds, sample_data
from tasks.cli.output import EXIT_FAILED, EXIT_USAGE, fail
from tasks.cli.receiver import receiver
from tasks.cli.resync import resync
from tasks.cli.retry import retry_failed
from tasks.cli.runs import runs, status


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
def cli() -> None:
    """Export a Magento 2.4 catalog to Commerce Services feeds."""


for command in (resync, retry_failed, status, runs, feeds, sample_data, db, receiver):
    cli.add_command(command)


def main(argv: Sequence[str] | None = None) -> None:
    """Console entry point: click's usage errors become one line and exit code 2."""
    try:
        cli.main(args=list(argv) if argv is not None else None, prog_name="saas-export", standalone_mode=False)
    except click.UsageError as exc:
        hint = f" (see `{exc.ctx.command_path} --help`)" if exc.ctx else ""
        fail(f"{exc.format_message()}{hint}", EXIT_USAGE)
    except click.ClickException as exc:
        fail(exc.format_message(), exc.exit_code)
    except click.exceptions.Abort:
        fail("aborted", EXIT_FAILED)
    except ConfigurationError as exc:  # raised by the first command that needs settings
        fail(str(exc), EXIT_USAGE)
