"""Starting up reads nothing: importing the packages and asking for help work whatever the
environment holds, and a bad setting is reported by the first command that needs settings."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from tests.support.cli import clean_environ, run_program

BAD = {"SAAS_EXPORT_FEEDS__PRODUCTS__BATCH_SIZE": "0"}
REPORTED = (
    "error: invalid configuration: SAAS_EXPORT_FEEDS__PRODUCTS__BATCH_SIZE: Input should be greater than 0. "
    "Fix the environment or .env file.\n"
)


def run(cwd: Path, program: str, *args: str) -> subprocess.CompletedProcess[str]:
    return run_program(program, *args, cwd=cwd, env=clean_environ(**BAD), timeout=120)


def test_importing_every_package_reads_no_setting(tmp_path: Path) -> None:
    # Given an environment holding an invalid value
    # When every package is imported (and the Celery app looked at, not used)
    result = run(tmp_path, "python", "-c", "import config, exporters, exporters.runs, tasks; print(tasks.app.main)")
    # Then nothing was read: no error, no exit
    assert (result.returncode, result.stdout, result.stderr) == (0, "saas_export\n", "")


@pytest.mark.parametrize("args", [["--help"], ["resync", "--help"], ["runs", "--help"]])
def test_help_works_with_a_broken_setting(tmp_path: Path, args: list[str]) -> None:
    result = run(tmp_path, "saas-export", *args)
    assert result.returncode == 0
    assert result.stdout.startswith(f"Usage: saas-export {' '.join(args[:-1])}".rstrip() + " [OPTIONS]")
    assert result.stderr == ""


def test_a_command_that_needs_settings_reports_the_bad_value_in_one_line(tmp_path: Path) -> None:
    result = run(tmp_path, "saas-export", "resync", "--feed", "products")
    assert (result.returncode, result.stderr) == (2, REPORTED)


def test_a_worker_reports_the_bad_value_in_one_line(tmp_path: Path) -> None:
    result = run(tmp_path, "celery", "-A", "tasks", "worker", "-P", "solo")
    assert (result.returncode, result.stderr) == (2, REPORTED)
