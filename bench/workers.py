"""Worker processes for a benchmark: ``celery -A tasks worker`` on RabbitMQ + Redis, one per core
asked for, on a queue of the benchmark's own, and the ``saas-export`` CLI run beside them."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path
from typing import Any

from kombu.connection import Connection

REPO = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
BROKER = "amqp://guest:guest@127.0.0.1:5672//"
RESULTS = "redis://127.0.0.1:6379/0"


class BenchCluster:
    """The environment of one benchmark run and the worker processes serving it."""

    def __init__(
        self,
        source_db: str,
        feed_db: str,
        workdir: Path,
        target: str = "null://",
        settings: dict[str, str] | None = None,
    ) -> None:
        self.workdir = workdir
        self.queue = f"saas_bench_{uuid.uuid4().hex[:8]}"
        self.env = (
            {k: v for k, v in os.environ.items() if not k.startswith("SAAS_EXPORT_")}
            | {
                "SAAS_EXPORT_SOURCE_DB": source_db,
                "SAAS_EXPORT_FEED_DB": feed_db,
                "SAAS_EXPORT_BROKER_URL": BROKER,
                "SAAS_EXPORT_RESULT_BACKEND": RESULTS,
                "SAAS_EXPORT_TARGET": target,
                "SAAS_EXPORT_QUEUE": self.queue,
                "PYTHONPATH": str(REPO),
            }
            | (settings or {})
        )
        self.processes: list[subprocess.Popen[bytes]] = []

    def start(self, count: int, timeout: float = 60.0, concurrency: int = 1) -> list[int]:
        """Start ``count`` prefork workers of ``concurrency`` processes; their pids once all are consuming."""
        logs = []
        for n in range(count):
            log = self.workdir / f"worker{n}.log"
            command = [str(BIN / "celery"), "-A", "tasks", "worker", "-P", "prefork", "-c", str(concurrency),
                       "-Q", self.queue, "-n", f"bench{n}-{self.queue}@%h", "--without-gossip", "--without-mingle",
                       "-l", "INFO",
                       f"--logfile={log}"]  # fmt: skip
            self.processes.append(
                subprocess.Popen(
                    command, env=self.env, cwd=self.workdir, stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT
                )
            )
            logs.append(log)
        deadline = time.monotonic() + timeout
        while not all(log.exists() and " ready." in log.read_text(errors="replace") for log in logs):
            if time.monotonic() > deadline or any(p.poll() is not None for p in self.processes):
                raise SystemExit(f"workers did not start; see {self.workdir}")
            time.sleep(0.2)
        return [p.pid for p in self.processes]

    def cli(self, *args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([str(BIN / "saas-export"), *args], env=self.env, cwd=self.workdir,
                              capture_output=True, text=True, timeout=7200)  # fmt: skip

    def stop(self) -> None:
        for process in self.processes:
            process.terminate()
        for process in self.processes:
            process.wait(timeout=60)
        with Connection(BROKER) as conn:
            conn.default_channel.queue_delete(self.queue)


class BenchReceiver:
    """``saas-export receiver`` on a free loopback port, its database in ``workdir``."""

    def __init__(self, workdir: Path, api_key: str) -> None:
        self.api_key = api_key
        env = {k: v for k, v in os.environ.items() if not k.startswith("SAAS_EXPORT_")}
        env |= {"SAAS_EXPORT_RECEIVER_API_KEY": api_key, "PYTHONPATH": str(REPO)}
        self.log = workdir / "receiver.log"
        command = [
            str(BIN / "saas-export"),
            "receiver",
            "--port",
            "0",
            "--db",
            f"sqlite:///{workdir / 'receiver.sqlite'}",
        ]
        with self.log.open("wb") as out:
            self.process = subprocess.Popen(command, env=env, cwd=workdir, stdout=out, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 30
        self.url = ""
        while not self.url:
            for line in self.log.read_text(errors="replace").splitlines():
                if line.startswith("receiver listening on "):
                    self.url = line.split()[3]
            if time.monotonic() > deadline or self.process.poll() is not None:
                raise SystemExit(f"the receiver did not start:\n{self.log.read_text(errors='replace')}")
            time.sleep(0.1)

    def stats(self) -> dict[str, Any]:
        import httpx

        answer: dict[str, Any] = httpx.get(f"{self.url}/stats", headers={"x-api-key": self.api_key}).json()
        return answer

    def stop(self) -> None:
        self.process.send_signal(signal.SIGINT)
        self.process.wait(timeout=30)
