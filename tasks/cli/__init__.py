"""The ``saas-export`` command line (``tasks.cli:main``)."""

from tasks.cli.main import cli, main

__all__ = ["cli", "main"]
