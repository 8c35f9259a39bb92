"""``saas-export receiver``: the local Commerce Services stand-in (docs/receiver.md).

It reads no ``SAAS_EXPORT_*`` setting: only its options and the one environment variable that
holds its API key. The key never comes from the command line, where ``ps`` would show it.
"""

from __future__ import annotations

import os
from pathlib import Path

import click
from click.core import ParameterSource

from exporters.db import redact
from tasks.cli.output import EXIT_USAGE, fail, one_line_errors, say

API_KEY_ENV = "SAAS_EXPORT_RECEIVER_API_KEY"


@click.command()
@click.option(
    "--host", default="127.0.0.1", show_default=True, help="Address to listen on (loopback unless a key is set)."
)
@click.option("--port", type=click.IntRange(0, 65535), default=8088, show_default=True, help="0: any free port.")
@click.option(
    "--db", "db_url", default="sqlite:///var/receiver.sqlite", show_default=True, help="Where it keeps items."
)
@click.option(
    "--api-key-env",
    default=API_KEY_ENV,
    show_default=True,
    metavar="NAME",
    help="Environment variable holding the API key that x-api-key must carry.",
)
@click.option(
    "--public-key",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    default=None,
    help="PEM RSA public key: POSTs then need an x-gw-signature JWT signed with its private key.",
)
@click.option("--rate-limit", type=click.IntRange(min=1), default=None, help="POSTs a second; more get 429.")
@click.option(
    "--fail-share", type=click.FloatRange(0, 1), default=0.0, show_default=True, help="Share of POSTs answered 500."
)
@click.option(
    "--latency", type=click.FloatRange(min=0), default=0.0, show_default=True, help="Seconds added to each POST."
)
@click.option(
    "--max-items", type=click.IntRange(min=1), default=1000, show_default=True, help="Larger batches get 413."
)
@click.option("--seed", type=int, default=None, help="Seed of the --fail-share dice, for repeatable faults.")
@click.pass_context
def receiver(
    ctx: click.Context,
    host: str,
    port: int,
    db_url: str,
    api_key_env: str,
    public_key: Path | None,
    rate_limit: int | None,
    fail_share: float,
    latency: float,
    max_items: int,
    seed: int | None,
) -> None:
    """Receive feed batches as Commerce Services does, keep them, and answer with faults on demand."""
    # Imported here: the web stack is not needed by the other commands, nor by their --help.
    from receiver import ReceiverConfig, serve
    from receiver.server import is_loopback

    api_key = os.environ.get(api_key_env) or None
    if api_key is None and ctx.get_parameter_source("api_key_env") is not ParameterSource.DEFAULT:
        fail(f"{api_key_env} is not set: --api-key-env names the variable holding the receiver's API key", EXIT_USAGE)
    if api_key is None and not is_loopback(host):
        fail(
            f"refusing to listen on {host} without an API key: it is not a loopback address. "
            f"Set {api_key_env} to a key, or use --host 127.0.0.1",
            EXIT_USAGE,
        )
    with one_line_errors():
        config = ReceiverConfig(
            db_url=db_url,
            api_key=api_key,
            public_key=public_key.read_text("utf-8", errors="replace") if public_key is not None else None,
            rate_limit=rate_limit,
            fail_share=fail_share,
            latency=latency,
            max_items=max_items,
            seed=seed,
        )
        serve(config, host, port, announce=lambda url: say(f"receiver listening on {url} (db {redact(db_url)})"))
