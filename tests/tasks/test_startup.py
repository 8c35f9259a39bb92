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


def test_a_worker_without_a_result_backend_is_one_line(tmp_path: Path) -> None:
    env = clean_environ(SAAS_EXPORT_BROKER_URL="amqp://guest:guest@127.0.0.1:1//")
    result = run_program("celery", "-A", "tasks", "worker", "-P", "solo", cwd=tmp_path, env=env, timeout=120)
    # (Celery itself warns first when the worker runs as root, as on CI machines)
    assert (result.returncode, result.stderr.splitlines()[-1] + "\n") == (
        2,
        "error: SAAS_EXPORT_RESULT_BACKEND is not set: set a result backend (e.g. redis://127.0.0.1:6379/0) so "
        "task results reach `celery call` and Flower\n",
    )


def test_a_worker_on_a_queue_the_runs_do_not_use_is_one_line(tmp_path: Path) -> None:
    env = clean_environ(
        SAAS_EXPORT_BROKER_URL="amqp://guest:guest@127.0.0.1:1//",
        SAAS_EXPORT_RESULT_BACKEND="redis://127.0.0.1:1/0",
        SAAS_EXPORT_QUEUE="exports",
    )
    result = run_program("celery", "-A", "tasks", "worker", "-Q", "other", cwd=tmp_path, env=env, timeout=120)
    assert (result.returncode, result.stderr.splitlines()[-1] + "\n") == (
        2,
        "error: this worker consumes other but the runs' tasks go to 'exports' (SAAS_EXPORT_QUEUE): start it with "
        "-Q exports, or set SAAS_EXPORT_QUEUE to match\n",
    )
