"""A real Celery cluster on this machine: ``celery -A tasks worker`` subprocesses on RabbitMQ
and Redis, and the ``saas-export`` CLI run as a subprocess with the same environment.

Each ``Cluster`` uses a queue of its own, so workers of one test never take another's tasks.
The broker and result backend are ``SAAS_TEST_BROKER_URL`` and ``SAAS_TEST_RESULT_BACKEND``,
defaulting to the local RabbitMQ and Redis. Tests using a cluster are marked ``cluster``.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import uuid
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from sqlalchemy import Engine
from sqlalchemy.exc import DBAPIError

from exporters.db import create_db_engine
from exporters.runs import Run, RunStore
from tests.support.cli import clean_environ, run_program
from tests.support.paths import BIN, REPO
from tests.support.waiting import eventually

BROKER = os.environ.get("SAAS_TEST_BROKER_URL", "amqp://guest:guest@127.0.0.1:5672//")
RESULTS = os.environ.get("SAAS_TEST_RESULT_BACKEND", "redis://127.0.0.1:6379/0")
RUN_ID = re.compile(r"run ([0-9a-f]{32})")
FINISHED = ("succeeded", "partial", "failed", "cancelled")


def run_id_of(output: str) -> str:
    """The run id the CLI printed."""
    match = RUN_ID.search(output)
    assert match, output
    return match.group(1)


@dataclass
class Worker:
    name: str
    process: subprocess.Popen[bytes]
    log: Path

    def ready(self) -> bool:
        return self.logged(" ready.") > 0

    def logged(self, text: str) -> int:
        """How many times ``text`` is in the worker's log so far."""
        return self.log_text().count(text)

    def log_text(self) -> str:
        return self.log.read_text(errors="replace") if self.log.exists() else ""


@dataclass
class Cluster:
    """Environment and worker processes for one test."""

    source_db: str
    feed_db: str
    workdir: Path
    target: str | None = None
    queue: str = field(default_factory=lambda: f"saas_test_{uuid.uuid4().hex[:10]}")
    workers: list[Worker] = field(default_factory=list)
    #: More ``SAAS_EXPORT_*`` settings for every process of the cluster.
    settings: dict[str, str] = field(default_factory=dict)
    beat: subprocess.Popen[bytes] | None = None

    @property
    def export_dir(self) -> Path:
        return self.workdir / "export"

    @cached_property
    def feed_engine(self) -> Engine:
        """An engine on the feed database (disposed by ``stop``)."""
        return create_db_engine(self.feed_db)

    @property
    def env(self) -> dict[str, str]:
        return clean_environ(
            SAAS_EXPORT_SOURCE_DB=self.source_db,
            SAAS_EXPORT_FEED_DB=self.feed_db,
            SAAS_EXPORT_BROKER_URL=BROKER,
            SAAS_EXPORT_RESULT_BACKEND=RESULTS,
            SAAS_EXPORT_TARGET=self.target or f"file://{self.export_dir}",
            SAAS_EXPORT_QUEUE=self.queue,
            # Short leases: a killed worker's chunk is taken over in seconds, not minutes.
            SAAS_EXPORT_CHUNK_LEASE="3",
            PYTHONPATH=str(REPO),
            **self.settings,
        )

    def start_beat(self) -> Worker:
        """``celery -A tasks beat``: the sweeper every ``SAAS_EXPORT_SWEEP_INTERVAL`` seconds."""
        log = self.workdir / "beat.log"
        self.beat = subprocess.Popen(
            [str(BIN / "celery"), "-A", "tasks", "beat", "-s", str(self.workdir / "beat-schedule"), "-l", "INFO",
             f"--logfile={log}"],
            env=self.env, cwd=self.workdir, stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT,
        )  # fmt: skip
        beat = Worker("beat", self.beat, log)
        eventually(
            lambda: beat.logged("beat: Starting...") > 0,
            timeout=30,
            waiting_for="celery beat to start",
            seen=lambda: beat.log_text()[-2000:],
        )
        return beat

    def wait_for_run(self, run_id: str, timeout: float = 120.0) -> Run:
        """Run ``run_id`` once it has finished (succeeded, partial, failed or cancelled)."""
        store = RunStore(self.feed_engine)

        def finished() -> Run | None:
            try:
                run = store.run(run_id)
            except DBAPIError:  # the feed database may be unreachable for a moment (a rehearsal)
                return None
            return run if run.status in FINISHED else None

        return eventually(
            finished,
            timeout=timeout,
            interval=0.2,
            waiting_for=f"run {run_id} to finish ({', '.join(FINISHED)})",
            seen=lambda: (store.run(run_id), store.chunks(run_id)),
        )

    def start_workers(self, count: int, pool: str = "prefork", timeout: float = 60.0) -> list[Worker]:
        """Start ``count`` workers on this cluster's queue; return once each has logged that it is ready."""
        started = []
        for _ in range(count):
            name = f"w{len(self.workers) + 1}-{self.queue}@%h"
            log = self.workdir / f"{name.split('@')[0]}.log"
            process = subprocess.Popen(
                [str(BIN / "celery"), "-A", "tasks", "worker", "-P", pool, "-c", "1", "-Q", self.queue,
                 "-n", name, "--without-gossip", "--without-mingle", "-l", "INFO", "-E", f"--logfile={log}"],
                env=self.env, cwd=self.workdir, stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT,
            )  # fmt: skip
            worker = Worker(name.replace("%h", os.uname().nodename), process, log)
            self.workers.append(worker)
            started.append(worker)

        def logs() -> str:
            return "\n".join(f"--- {w.name} (exit code {w.process.poll()}):\n{w.log_text()[-3000:]}" for w in started)

        def all_ready() -> bool:
            assert all(w.process.poll() is None for w in started), f"a celery worker exited while starting:\n{logs()}"
            return all(w.ready() for w in started)

        eventually(all_ready, timeout=timeout, interval=0.2, waiting_for=f"{count} celery worker(s) ready", seen=logs)
        return started

    def kill_pool_process(self, worker: Worker) -> int | None:
        """SIGKILL the prefork pool process of ``worker`` (the one executing its task).

        None when there is none at that moment (the worker is replacing a killed one).
        """
        import psutil

        children = psutil.Process(worker.process.pid).children()
        if len(children) != 1:
            return None
        try:
            children[0].send_signal(signal.SIGKILL)
        except psutil.NoSuchProcess:
            return None
        return int(children[0].pid)

    def stop(self) -> None:
        """Stop beat and the workers (SIGTERM, then SIGKILL after 20 s), delete the queue, close the feed engine."""
        if self.beat is not None:
            self.beat.terminate()
            self.beat.wait(timeout=20)
        for worker in self.workers:
            if worker.process.poll() is None:
                worker.process.send_signal(signal.SIGTERM)
        for worker in self.workers:
            try:
                worker.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                worker.process.kill()
                worker.process.wait()
        self.workers.clear()
        from kombu.connection import Connection

        with Connection(BROKER) as conn:
            conn.default_channel.queue_delete(self.queue)
        if "feed_engine" in self.__dict__:
            self.feed_engine.dispose()

    def cli(self, *args: str, timeout: float = 300.0) -> subprocess.CompletedProcess[str]:
        """``saas-export *args`` with the cluster's environment."""
        return run_program("saas-export", *args, cwd=self.workdir, env=self.env, timeout=timeout)

    def cli_process(self, *args: str, **env: str) -> subprocess.Popen[str]:
        """``saas-export *args`` started in the background (to be killed, or raced against another)."""
        return subprocess.Popen(
            [str(BIN / "saas-export"), *args], cwd=self.workdir, env={**self.env, **env},
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )  # fmt: skip

    def celery(self, *args: str, timeout: float = 60.0) -> subprocess.CompletedProcess[str]:
        """``celery -A tasks *args`` with the cluster's environment."""
        return run_program("celery", "-A", "tasks", *args, cwd=self.workdir, env=self.env, timeout=timeout)
