"""The receiver in tests: served in this process or as ``saas-export receiver``, and a client for it.

- ``serving(config)``: a ``ReceiverServer`` in a thread of the test process (fast, one per test);
- ``Receiver``: the ``saas-export receiver`` command as an operator starts it, on a free loopback
  port (``--port 0``; the port is read from the line it prints), stopped with Ctrl-C (SIGINT);
- ``ReceiverClient``: httpx on a receiver's URL with its key, reading back what it holds.
"""

from __future__ import annotations

import gzip
import signal
import subprocess
import threading
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType
from typing import Any

import httpx
import orjson

from exporters.feeds import customer_group_code
from exporters.model import Item
from receiver import ReceiverConfig, ReceiverServer
from tests.support.cli import clean_environ
from tests.support.paths import BIN, REPO
from tests.support.waiting import eventually

#: The line ``saas-export receiver`` prints once it listens; the URL follows it.
LISTENING = "receiver listening on "
API_KEY_ENV = "SAAS_EXPORT_RECEIVER_API_KEY"


class ReceiverClient:
    """httpx on one receiver, sending its key (when it has one) with every request."""

    def __init__(self, url: str, api_key: str | None = None) -> None:
        self.url = url
        self.http = httpx.Client(base_url=url, headers={"x-api-key": api_key} if api_key else {}, timeout=30)

    def __enter__(self) -> ReceiverClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self.http.close()

    def post(
        self,
        feed: str,
        items: Sequence[Any],
        data_space: str = "default",
        *,
        compress: bool = False,
        headers: Mapping[str, str] | None = None,
    ) -> httpx.Response:
        """POST ``items`` as one batch (gzip-compressed with ``compress``), as the HTTP target sends it."""
        body = orjson.dumps(list(items))
        sent = {"Content-Type": "application/json", **(headers or {})}
        if compress:
            body = gzip.compress(body)
            sent["Content-Encoding"] = "gzip"
        return self.http.post(f"/feeds/{feed}/v1/{data_space}", content=body, headers=sent)

    def items(self, feed: str, data_space: str = "default") -> list[Item]:
        """Every item the receiver holds for ``feed`` in ``data_space``, in its order, page by page."""
        held: list[Item] = []
        while True:
            page = self._get(f"/feeds/{feed}/v1/{data_space}", offset=len(held), limit=1000)
            held.extend(page["items"])
            if len(held) >= page["total"] or not page["items"]:
                return held

    def receipts(self, feed: str, data_space: str = "default") -> dict[str, Any]:
        """``{"receipts": {identity key: count}, "requests": batches stored}``."""
        return self._get(f"/receipts/{feed}/v1/{data_space}")

    def feeds(self, data_space: str = "default") -> dict[str, int]:
        """Items held per feed of ``data_space``."""
        feeds: dict[str, int] = self._get(f"/data-spaces/{data_space}")["feeds"]
        return feeds

    def stats(self) -> dict[str, Any]:
        """``{"posts": {status: count}, "busiestSecond": n}``: every POST the receiver answered."""
        return self._get("/stats")

    def _get(self, path: str, **params: int) -> dict[str, Any]:
        response = self.http.get(path, params=params)
        assert response.status_code == 200, f"GET {path}: {response.status_code} {response.text}"
        answer: dict[str, Any] = response.json()
        return answer


#: ``start_receiver(**ReceiverConfig fields)`` (tests/receiver/conftest.py): a client of a receiver just served.
StartReceiver = Callable[..., ReceiverClient]


@contextmanager
def serving(config: ReceiverConfig, host: str = "127.0.0.1") -> Iterator[str]:
    """A receiver served by a thread of this process on a free port of ``host``: its URL."""
    server = ReceiverServer(config, host, 0)
    thread = threading.Thread(target=server.run, name="receiver", daemon=True)
    thread.start()
    try:
        eventually(lambda: server.started or not thread.is_alive(), timeout=10, waiting_for="the receiver to start")
        assert thread.is_alive(), "the receiver thread ended while starting"
        yield server.url
    finally:
        server.stop()
        thread.join(timeout=10)


@dataclass
class Receiver:
    """``saas-export receiver`` run as a subprocess in ``workdir``, on a free loopback port.

    ``options`` are more command-line options (``--fail-share 0.5``, ``--max-items 10``); the
    key, when given, is passed in ``SAAS_EXPORT_RECEIVER_API_KEY`` as an operator would. The
    database defaults to ``receiver.sqlite`` in ``workdir``. Use it as a context manager, or
    ``start()`` and ``stop()``.
    """

    workdir: Path
    options: Sequence[str] = ()
    api_key: str | None = None
    db_url: str | None = None
    host: str = "127.0.0.1"
    url: str = ""
    process: subprocess.Popen[bytes] | None = field(default=None, repr=False)

    @property
    def log(self) -> Path:
        """What the command printed (stdout and stderr)."""
        return self.workdir / "receiver.log"

    def log_text(self) -> str:
        return self.log.read_text(errors="replace") if self.log.exists() else ""

    def start(self, timeout: float = 30.0) -> Receiver:
        """Start the command and return once it answers ``/health``; fail the test with its log if it does not."""
        db_url = self.db_url or f"sqlite:///{self.workdir / 'receiver.sqlite'}"
        env = clean_environ(PYTHONPATH=str(REPO), **({API_KEY_ENV: self.api_key} if self.api_key else {}))
        args = ["receiver", "--host", self.host, "--port", "0", "--db", db_url, *self.options]
        self.workdir.mkdir(parents=True, exist_ok=True)
        with self.log.open("wb") as log:
            self.process = subprocess.Popen(
                [str(BIN / "saas-export"), *args], cwd=self.workdir, env=env, stdout=log, stderr=subprocess.STDOUT
            )
        self.url = eventually(
            self._announced, timeout=timeout, waiting_for="the receiver to listen", seen=self.log_text
        )
        eventually(self._healthy, timeout=timeout, waiting_for=f"{self.url}/health", seen=self.log_text)
        return self

    def stop(self, timeout: float = 10.0) -> int:
        """Ctrl-C (SIGINT), as an operator stops it; SIGKILL after ``timeout`` seconds. Its exit code."""
        assert self.process is not None, "the receiver was not started"
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
            try:
                self.process.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        return self.process.returncode

    def client(self) -> ReceiverClient:
        """A client with this receiver's key (close it, or use it in a ``with``)."""
        return ReceiverClient(self.url, self.api_key)

    def __enter__(self) -> Receiver:
        return self.start()

    def __exit__(
        self, _type: type[BaseException] | None, _exc: BaseException | None, _tb: TracebackType | None
    ) -> None:
        if self.process is not None:
            self.stop()

    def _announced(self) -> str | None:
        assert self.process is not None
        for line in self.log_text().splitlines():
            if line.startswith(LISTENING):
                return line.removeprefix(LISTENING).split(" ", 1)[0]
        assert self.process.poll() is None, (
            f"saas-export receiver exited ({self.process.returncode}):\n{self.log_text()}"
        )
        return None

    def _healthy(self) -> bool:
        try:
            return httpx.get(f"{self.url}/health", timeout=2).status_code == 200
        except httpx.TransportError:
            return False


def website_item(code: str, website_id: int = 1) -> Item:
    """A valid ``scopesWebsite`` item."""
    return {"websiteId": str(website_id), "websiteCode": code, "stores": [], "deleted": False}


def customer_group_item(group_id: int, websites: Sequence[str] = ("base",)) -> Item:
    """A valid ``scopesCustomerGroup`` item (its code is the sha1 Magento derives from the id)."""
    return {
        "customerGroupId": str(group_id),
        "customerGroupCode": customer_group_code(group_id),
        "websites": list(websites),
        "deleted": False,
    }
