"""Starting a run on the cluster: plan it, then send its chunks as a chord.

``--thread-count N`` is enforced by the shape of the chord: its header is N *lanes*, each a
chain of chunk tasks, so at most N chunks of the run execute at any moment whatever the number
of workers, and the callback fires when the last lane ends. Chunk seq ``k`` goes to lane
``k % N``, so lanes get even shares.
"""

from __future__ import annotations

from typing import Any

from celery import chain, chord
from kombu.exceptions import OperationalError as KombuOperationalError

from config import get_settings, resolve_tuning
from exporters.db import redact
from exporters.exceptions import TerminalError, error_line, unreachable
from exporters.feeds import get_feed
from exporters.feedtable import upgrade
from exporters.model import RunStatus
from exporters.runs import PlannedRun, RunStore, abandon, start_run
from tasks.app import app
from tasks.chunk import chunk
from tasks.finalize import finalize
from tasks.runtime import runtime


class BrokerUnavailable(TerminalError):
    def __init__(self, url: str, reason: str) -> None:
        super().__init__(
            unreachable(
                "the Celery broker",
                url,
                reason,
                "SAAS_EXPORT_BROKER_URL",
                ", or unset it to run on the embedded default",
            )
        )


def check_broker() -> None:
    """Fail before anything is written when the broker does not answer."""
    url = str(app.conf.broker_url)
    if url.startswith("memory://"):
        return
    try:
        with app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, interval_start=0, interval_step=0.5, timeout=5)
    except (KombuOperationalError, OSError) as exc:
        raise BrokerUnavailable(redact(url), error_line(exc)) from exc


def lanes(run_id: str, chunks: int, thread_count: int) -> list[Any]:
    width = max(1, min(thread_count, chunks))
    sequences: list[list[Any]] = [[] for _ in range(width)]
    for seq in range(chunks):
        sequences[seq % width].append(chunk.si(run_id, seq))
    return [chain(*lane) if len(lane) > 1 else lane[0] for lane in sequences]


def dispatch(planned: PlannedRun, thread_count: int) -> None:
    """Send the chunks and the finalize callback; a run with no chunks is finalized at once."""
    if planned.chunks == 0:
        finalize.si(planned.run_id).apply_async()
    else:
        chord(lanes(planned.run_id, planned.chunks, thread_count))(finalize.si(planned.run_id))


def start(
    feed: str,
    *,
    batch_size: int | None = None,
    thread_count: int | None = None,
    force: bool = False,
    embedded: bool = False,
) -> PlannedRun:
    """Lock, plan and dispatch a full resync of ``feed``; returns the planned run."""
    spec = get_feed(feed)
    check_broker()
    tuning = resolve_tuning(get_settings(), spec.name, batch_size, thread_count)
    rt = runtime()
    upgrade(rt.feed_engine)  # idempotent: a worker may be the first to touch a new feed DB
    planned = start_run(
        rt, spec, batch_size=tuning.batch_size, thread_count=tuning.thread_count, options={"force": force}
    )
    try:
        RunStore(rt.feed_engine).set_status(planned.run_id, RunStatus.EMBEDDED if embedded else RunStatus.RUNNING)
        dispatch(planned, tuning.thread_count)
    except Exception as exc:
        abandon(rt, spec.name, planned.run_id, f"dispatch failed: {exc}")
        raise
    return planned


@app.task(name="tasks.resync")
def resync(
    feed: str, batch_size: int | None = None, thread_count: int | None = None, force: bool = False
) -> dict[str, Any]:
    """``celery -A tasks call tasks.resync --kwargs '{"feed": "products"}'``: the same run as the CLI's."""
    planned = start(feed, batch_size=batch_size, thread_count=thread_count, force=force)
    return {"run_id": planned.run_id, "feed": planned.feed.name, "chunks": planned.chunks}
