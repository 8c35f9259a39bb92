"""A real Celery cluster on this machine: ``celery -A tasks worker`` subprocesses on RabbitMQ
and Redis, and the ``saas-export`` CLI run as a subprocess with the same environment.

Each ``Cluster`` uses a queue of its own, so workers of one test never take another's tasks.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
BROKER = "amqp://guest:guest@127.0.0.1:5672//"
RESULTS = "redis://127.0.0.1:6379/0"


@dataclass
class Worker:
    name: str
    process: subprocess.Popen[bytes]
    log: Path

    def ready(self) -> bool:
        return self.logged(" ready.") > 0

    def logged(self, text: str) -> int:
        """How many times ``text`` is in the worker's log so far."""
        return self.log.read_text(errors="replace").count(text) if self.log.exists() else 0


@dataclass
class Cluster:
    """Environment and worker processes for one test."""

    source_db: str
    feed_db: str
    workdir: Path
    target: str | None = None
    queue: str = field(default_factory=lambda: f"saas_test_{uuid.uuid4().hex[:10]}")
    workers: list[Worker] = field(default_factory=list)

    @property
    def export_dir(self) -> Path:
        return self.workdir / "export"

    @property
    def env(self) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith("SAAS_EXPORT_")}
        env.update(
            SAAS_EXPORT_SOURCE_DB=self.source_db,
            SAAS_EXPORT_FEED_DB=self.feed_db,
            SAAS_EXPORT_BROKER_URL=BROKER,
            SAAS_EXPORT_RESULT_BACKEND=RESULTS,
            SAAS_EXPORT_TARGET=self.target or f"file://{self.export_dir}",
            SAAS_EXPORT_QUEUE=self.queue,
            PYTHONPATH=str(REPO),
        )
        return env

    def start_workers(self, count: int, pool: str = "prefork", timeout: float = 60.0) -> list[Worker]:
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
        deadline = time.monotonic() + timeout
        while not all(w.ready() for w in started):
            if any(w.process.poll() is not None for w in started) or time.monotonic() > deadline:
                logs = "\n".join(w.log.read_text(errors="replace")[-3000:] for w in started if w.log.exists())
                raise RuntimeError(f"celery workers did not start:\n{logs}")
            time.sleep(0.2)
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

    def cli(
        self, *args: str, timeout: float = 300.0, env: dict[str, str] | None = None
    ) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [str(BIN / "saas-export"), *args],
            env=env or self.env,
            cwd=self.workdir,
            capture_output=True,
            text=True,
            timeout=timeout,
        )

    def celery(self, *args: str, timeout: float = 60.0) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [str(BIN / "celery"), "-A", "tasks", *args],
            env=self.env,
            cwd=self.workdir,
            capture_output=True,
            text=True,
            timeout=timeout,
        )
