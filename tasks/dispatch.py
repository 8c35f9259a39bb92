"""Starting a run on the cluster: plan it, then send the first chunk of each lane.

``--thread-count N`` is enforced by lanes: chunk ``k`` belongs to lane ``k % N``, and a lane is
a sequence: each chunk, once final, sends the lane's next one (exactly once, see
``exporters.runs.next_step``). So at most N chunks of the run execute at any moment whatever the
number of workers. The chunk that finishes the run's last chunk sends its finalize: a barrier
kept in the feed database's rows, not in the result backend, so a flushed Redis loses nothing
(docs/reliability.md).
"""

from __future__ import annotations

from typing import Any

from kombu.exceptions import OperationalError as KombuOperationalError

from config import Settings, is_embedded, resolve_tuning
from exporters.db import redact
from exporters.exceptions import TerminalError, error_line, unreachable
from exporters.feeds import FeedSpec, get_feed
from exporters.model import RunStatus
from exporters.runs import PlannedRun, RunStore, Runtime, abandon, start_run
from exporters.runs.byids import parse_ids
from exporters.runs.options import ConflictingOptions, refusal
from exporters.runs.resume import continue_run
from tasks.app import app
from tasks.runtime import migrate, runtime, settings
from tasks.sending import CelerySender


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


class NoResultBackend(TerminalError):
    def __init__(self) -> None:
        super().__init__(
            "SAAS_EXPORT_BROKER_URL is set but SAAS_EXPORT_RESULT_BACKEND is not: set a result backend "
            "(e.g. redis://127.0.0.1:6379/0) so task results reach `celery call` and Flower, or unset the "
            "broker to run on the embedded default"
        )


def check_broker(values: Settings) -> None:
    """Fail before anything is written when the broker does not answer or has no result backend."""
    if is_embedded(values):
        return
    url = str(app.conf.broker_url)
    try:
        with app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, interval_start=0, interval_step=0.5, timeout=5)
    except (KombuOperationalError, OSError) as exc:
        raise BrokerUnavailable(redact(url), error_line(exc)) from exc
    if not values.result_backend:
        raise NoResultBackend()


def dispatch(planned: PlannedRun, thread_count: int) -> None:
    """Send the first chunk of each lane; a run with no chunks is finalized at once."""
    sender = CelerySender()
    if planned.chunks == 0:
        RunStore(runtime().feed_engine).send_finalize(planned.run_id)
        sender.finalize(planned.run_id)
    else:
        sender.lane_heads(planned.run_id, thread_count, planned.chunks)


def start(
    feed: str,
    *,
    batch_size: int | None = None,
    thread_count: int | None = None,
    force: bool = False,
    allow_mass_delete: bool = False,
    embedded: bool = False,
    dry_run: bool = False,
    cleanup_feed: bool = False,
    no_reindex: bool = False,
    by_ids: str | None = None,
    id_type: str | None = None,
    continue_resync: bool = False,
) -> PlannedRun:
    """Lock, plan and dispatch a full resync of ``feed`` (or resume its unfinished run with
    ``continue_resync``); returns the planned run."""
    spec = get_feed(feed)
    refused = refusal([spec], force=force, allow_mass_delete=allow_mass_delete, cleanup_feed=cleanup_feed,
                      no_reindex=no_reindex, by_ids=by_ids, id_type=id_type,
                      continue_resync=continue_resync)  # fmt: skip
    if refused:
        raise ConflictingOptions(refused)
    values = settings()
    check_broker(values)
    tuning = resolve_tuning(values, spec.name, batch_size, thread_count)
    rt = runtime()
    migrate(rt)  # idempotent: a worker may be the first to touch a new feed DB
    if continue_resync:
        resumed = continue_run(rt, spec, embedded=embedded)
        try:
            dispatch(resumed, RunStore(rt.feed_engine).run(resumed.run_id).thread_count)
        except Exception as exc:
            abandon(rt, spec.name, resumed.run_id, f"dispatch failed: {error_line(exc)}")
            raise
        return resumed
    options: dict[str, Any] = {"force": force, "allow_mass_delete": allow_mass_delete}
    # Only the options given are recorded: a run's options read as the command that started it.
    options.update({name: True for name, on in (("dry_run", dry_run), ("cleanup_feed", cleanup_feed),
                                                ("no_reindex", no_reindex)) if on})  # fmt: skip
    ids: list[str] = []
    if by_ids is not None:
        ids = parse_ids(by_ids, id_type or "sku")
        options["by_ids"] = {"type": id_type or "sku", "requested": len(ids)}
    planned = start_run(
        rt, spec, batch_size=tuning.batch_size, thread_count=tuning.thread_count, options=options, by_ids=ids
    )
    return launch(rt, spec, planned, tuning.thread_count, embedded=embedded)


def launch(rt: Runtime, spec: FeedSpec, planned: PlannedRun, thread_count: int, *, embedded: bool) -> PlannedRun:
    """Mark a planned run started and send its lanes; a run that cannot be dispatched is abandoned."""
    try:
        RunStore(rt.feed_engine).set_status(planned.run_id, RunStatus.EMBEDDED if embedded else RunStatus.RUNNING)
        dispatch(planned, thread_count)
    except Exception as exc:
        abandon(rt, spec.name, planned.run_id, f"dispatch failed: {error_line(exc)}")
        raise
    return planned


@app.task(name="tasks.resync")
def resync(
    feed: str,
    batch_size: int | None = None,
    thread_count: int | None = None,
    force: bool = False,
    allow_mass_delete: bool = False,
    dry_run: bool = False,
    cleanup_feed: bool = False,
    no_reindex: bool = False,
    by_ids: str | None = None,
    id_type: str | None = None,
    continue_resync: bool = False,
) -> dict[str, Any]:
    """``celery -A tasks call tasks.resync --kwargs '{"feed": "products"}'``: the same run as the CLI's."""
    planned = start(
        feed,
        batch_size=batch_size,
        thread_count=thread_count,
        force=force,
        allow_mass_delete=allow_mass_delete,
        dry_run=dry_run,
        cleanup_feed=cleanup_feed,
        no_reindex=no_reindex,
        by_ids=by_ids,
        id_type=id_type,
        continue_resync=continue_resync,
    )
    result: dict[str, Any] = {"run_id": planned.run_id, "feed": planned.feed.name, "chunks": planned.chunks}
    if by_ids is not None:
        result["not_found"] = {"count": len(planned.not_found), "first": list(planned.not_found[:10])}
    return result
