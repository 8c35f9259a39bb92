"""The chunk task: one id range of one run. It never raises.

It claims its chunk row, runs it under a renewed lease, records the outcome, and hands its lane
on (sends the lane's next chunk, or the run's finalize) exactly once. A transient error (a
database or the target down for now) gives the claim back and retries with exponential backoff
and jitter until the chunk's attempts are used up, then records the chunk failed; any other
error, the soft time limit included, records it failed at once. Recording that itself fails is
retried the same way; if even that cannot happen (the broker is down too) the task logs and
returns, and the sweeper sends the chunk again later. Whatever happens, the lane goes on.
"""

from __future__ import annotations

import logging
import os
import random
from contextlib import suppress
from typing import Any

from celery import Task
from celery.exceptions import Retry
from celery.utils.time import get_exponential_backoff_interval

from exporters.exceptions import ExportError, TransientError
from exporters.runs import (
    Claimed,
    ClaimLost,
    claim_chunk,
    describe_failure,
    execute_chunk,
    fail_chunk,
    next_step,
    release_chunk,
    take_back,
)
from exporters.runs.store import RunStore
from tasks.app import app
from tasks.runtime import runtime, settings
from tasks.sending import CelerySender

log = logging.getLogger(__name__)

#: Retries of the task when even the feed database cannot be reached to claim or record.
MAX_TASK_RETRIES = 100


@app.task(name="tasks.chunk", bind=True, max_retries=None, ignore_result=False)
def chunk(self: Task, run_id: str, seq: int) -> dict[str, Any]:
    try:
        return _chunk(self, run_id, seq)
    except Retry:
        raise
    except Exception as exc:  # the guard of last resort: never raise into the lane
        log.exception("run %s chunk %s: could not run or record it; the sweeper will send it again", run_id, seq)
        return {"run_id": run_id, "seq": seq, "outcome": "unrecorded", "error": describe_failure(exc)}


def _backoff(retries: int) -> float:
    return float(get_exponential_backoff_interval(1, retries, settings().retry_backoff_max, full_jitter=True))


def _chunk(task: Task, run_id: str, seq: int) -> dict[str, Any]:
    try:
        rt = runtime()
        claim = claim_chunk(rt, run_id, seq, worker=f"{task.request.hostname}#{os.getpid()}")
    except TransientError as exc:
        return _retry(task, run_id, seq, exc)
    if claim.result is Claimed.BUSY:  # a live claim elsewhere: look again once it may have run out
        raise task.retry(countdown=claim.retry_in + random.uniform(0, 1), max_retries=None)
    if claim.result is Claimed.STOPPED:
        return {"run_id": run_id, "seq": seq, "outcome": "stopped"}
    if claim.result is Claimed.CLAIMED:
        assert claim.chunk is not None and claim.token is not None
        try:
            counts = execute_chunk(rt, claim)
        except ClaimLost as exc:
            log.warning("%s", exc)
            return {"run_id": run_id, "seq": seq, "outcome": "lost"}
        except TransientError as exc:
            if claim.chunk.attempts < rt.policy.max_attempts:
                countdown = _backoff(claim.chunk.attempts - 1)
                log.warning("run %s chunk %s: %s; retrying in %.1fs", run_id, seq, exc, countdown)
                release_chunk(rt, run_id, seq, claim.token, "retry")
                raise task.retry(exc=exc, countdown=countdown, max_retries=None) from exc
            log.error("run %s chunk %s failed after %s attempts: %s", run_id, seq, claim.chunk.attempts, exc)
            _record_failure(
                task, rt, run_id, seq, claim.token, f"{exc} (gave up after {claim.chunk.attempts} attempts)"
            )
        except ExportError as exc:  # terminal errors: the message says it all
            log.error("run %s chunk %s failed: %s", run_id, seq, exc)
            _record_failure(task, rt, run_id, seq, claim.token, describe_failure(exc))
        except Exception as exc:  # anything unexpected, and SoftTimeLimitExceeded
            log.exception("run %s chunk %s failed", run_id, seq)
            _record_failure(task, rt, run_id, seq, claim.token, describe_failure(exc))
        else:
            _hand_on(rt, run_id, seq)
            return {"run_id": run_id, "seq": seq, "outcome": "done", **counts.as_dict()}
    _hand_on(rt, run_id, seq)
    stored = RunStore(rt.feed_engine).chunk(run_id, seq)
    return {"run_id": run_id, "seq": seq, "outcome": f"already_{stored.status}", **stored.counts.as_dict()}


def _record_failure(task: Task, rt: Any, run_id: str, seq: int, token: str, error: str) -> None:
    try:
        fail_chunk(rt, run_id, seq, error, token=token)
    except TransientError as exc:
        _retry(task, run_id, seq, exc)


def _retry(task: Task, run_id: str, seq: int, exc: TransientError) -> dict[str, Any]:
    """The feed database could not be reached: try the whole chunk again later."""
    if task.request.retries >= MAX_TASK_RETRIES:
        log.error("run %s chunk %s: %s; giving up, the sweeper will send it again", run_id, seq, exc)
        return {"run_id": run_id, "seq": seq, "outcome": "unrecorded", "error": str(exc)}
    countdown = _backoff(task.request.retries)
    log.warning("run %s chunk %s: %s; retrying in %.1fs", run_id, seq, exc, countdown)
    raise task.retry(exc=exc, countdown=countdown, max_retries=None) from exc


def _hand_on(rt: Any, run_id: str, seq: int) -> None:
    """Send the lane's next chunk, or the run's finalize, if this execution is the one to."""
    try:
        step = next_step(rt, run_id, seq)
    except TransientError as exc:
        log.warning("run %s chunk %s: could not hand the lane on (%s); the sweeper will", run_id, seq, exc)
        return
    sender = CelerySender()
    try:
        if step.chunk is not None:
            sender.chunk(run_id, step.chunk)
        if step.finalize:
            sender.finalize(run_id)
    except Exception as exc:
        log.warning("run %s chunk %s: could not send the next step (%s); the sweeper will", run_id, seq, exc)
        with suppress(TransientError):  # then the lease and the sweeper's quiet-lane rule apply
            take_back(rt, run_id, seq, step)
