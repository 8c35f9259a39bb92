"""``http(s)://HOST[/prefix]``: the Commerce Services feed API (docs/protocol.md).

One pooled ``httpx.Client`` per process (made on first use, after any fork). Each batch is a
JSON array, gzip-compressed by default, sent with the API key, an RS256 signature when a private
key is configured, and the original connector's metadata headers. What the target answers
becomes one feed-row status per item: the target's per-item errors mark only those items, a 413
or an items-limit error halves the batch, a 429 waits (``Retry-After``) and halves the shared
rate, a 5xx, timeout or connection error is retried with backoff and jitter and in the end
leaves the items retryable (status 2), and a refused key stops the run (``TargetKeyRefused``).
"""

from __future__ import annotations

import logging
import os
import random
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime
from typing import Any

import httpx
import jwt
import orjson
from isal import isal_zlib

from exporters.db import redact
from exporters.exceptions import TerminalError
from exporters.model import PendingItem, SendResult, Status
from exporters.targets.throttle import Throttle

log = logging.getLogger(__name__)

#: Requests per batch by default: the original connector's limit.
DEFAULT_BATCH = 100
#: ISA-L's level 1: a products batch shrinks 14.6x, at under a quarter of the CPU of zlib's
#: fastest level (docs/benchmarks.md, "HTTP delivery").
GZIP_LEVEL = 1
#: 429 answers one batch may wait out before its items are left retryable.
MAX_THROTTLED = 30
#: The longest ``Retry-After`` honoured, in seconds.
MAX_RETRY_AFTER = 60.0
#: Seconds a signature is valid (the original's ``exp = now + 300``), and how long one is reused.
SIGNATURE_TTL = 300
_SIGNATURE_REUSE = 240
VERSION = "0.1.0"


class TargetKeyRefused(TerminalError):
    """The target refused the API key or the signature: every request would be refused too."""

    def __init__(self, target: str, status: int, message: str) -> None:
        super().__init__(
            f"the target {target} refused the API key (HTTP {status}: {message}); check SAAS_EXPORT_API_KEY "
            "(and SAAS_EXPORT_PRIVATE_KEY_FILE when the target checks signatures). The run stopped."
        )


@dataclass(frozen=True)
class HttpConfig:
    """How batches are sent; the settings fill it in. Secrets never show in its repr."""

    api_key: str | None = field(default=None, repr=False)
    private_key: str | None = field(default=None, repr=False)
    gzip: bool = True
    connect_timeout: float = 10.0
    read_timeout: float = 60.0
    attempts: int = 5
    verify_tls: bool = True
    backoff_max: float = 30.0
    #: Requests one chunk keeps in flight (its batches sent at once; the shared limits still hold).
    #: One by default: on a target close by, more threads only contend for the same cores.
    parallel: int = 1
    #: Items per request by feed name (lower case); ``DEFAULT_BATCH`` otherwise.
    batch_sizes: Mapping[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class ConnectorMetadata:
    """What the original connector says about the shop in every request."""

    edition: str = "Open Source"
    version: str = "2.4"

    @property
    def headers(self) -> dict[str, str]:
        return {
            "service-connector-metadata": orjson.dumps(
                {"commerceEdition": self.edition, "commerceVersion": self.version}
            ).decode(),
            "User-Agent": f"Magento Services Connector (Magento: {self.edition} {self.version}) saas-export/{VERSION}",
        }


def invalid_items(body: Any) -> dict[int, str]:
    """Index in the batch -> the target's message, from ``invalidFeedItems``."""
    found: dict[int, str] = {}
    entries = body.get("invalidFeedItems") if isinstance(body, dict) else None
    for entry in entries or ():
        if not isinstance(entry, dict):
            continue
        index = entry.get("itemIndex")
        if index is None and isinstance(entry.get("field"), str):
            head = entry["field"].lstrip("/").split("/", 1)[0]
            index = int(head) if head.isdigit() else None
        if isinstance(index, int):
            code, message = entry.get("code"), str(entry.get("message") or "invalid item")
            found[index] = f"{code}: {message}" if code else message
    return found


def answer_message(response: httpx.Response) -> str:
    """The message of an error answer, short: its JSON ``message`` or the start of its text."""
    try:
        body = response.json()
    except ValueError:
        return response.text[:300] or response.reason_phrase
    if isinstance(body, dict):
        return str(body.get("message") or body.get("code") or body)[:300]
    return str(body)[:300]


def retry_after(response: httpx.Response, fallback: float) -> float:
    """Seconds the target asks to wait (``Retry-After`` in seconds or as a date), bounded."""
    value = response.headers.get("Retry-After")
    if value is None:
        return fallback
    try:
        seconds = float(value)
    except ValueError:
        try:
            seconds = parsedate_to_datetime(value).timestamp() - time.time()
        except (TypeError, ValueError):
            return fallback
    return min(MAX_RETRY_AFTER, max(0.0, seconds))


class HttpTarget:
    """Delivers batches to ``POST {base}/feeds/{feed}/v1/{data space}``."""

    def __init__(
        self,
        base_url: str,
        data_space_id: str,
        config: HttpConfig,
        throttle: Throttle,
        metadata: Callable[[], ConnectorMetadata] = ConnectorMetadata,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.data_space_id = data_space_id
        self.config = config
        self.throttle = throttle
        self.metadata = metadata
        self.description = redact(self.base_url)
        self.parallel = config.parallel
        self._client: tuple[int, httpx.Client] | None = None
        self._signature: tuple[float, str] | None = None
        self._lock = threading.Lock()
        if not config.verify_tls:
            log.warning("TLS verification is off for %s (SAAS_EXPORT_HTTP_VERIFY_TLS=false)", self.description)

    def batch_size(self, feed: str) -> int:
        return self.config.batch_sizes.get(feed.lower(), DEFAULT_BATCH)

    @property
    def client(self) -> httpx.Client:
        """This process's pooled client (a forked worker makes its own)."""
        with self._lock:
            if self._client is None or self._client[0] != os.getpid():
                timeout = httpx.Timeout(self.config.read_timeout, connect=self.config.connect_timeout)
                self._client = (os.getpid(), httpx.Client(timeout=timeout, verify=self.config.verify_tls))
            return self._client[1]

    def url(self, feed: str) -> str:
        return f"{self.base_url}/feeds/{feed}/v1/{self.data_space_id}"

    def headers(self) -> dict[str, str]:
        headers = {"Content-Type": "application/json", **self.metadata().headers}
        if self.config.gzip:
            headers["Content-Encoding"] = "gzip"
        if self.config.api_key:
            headers["x-api-key"] = self.config.api_key
        if self.config.private_key:
            headers["x-gw-signature"] = self.signature()
        return headers

    def signature(self) -> str:
        """An RS256 JWT valid for ``SIGNATURE_TTL`` seconds, reused while it has time left."""
        now = time.time()
        with self._lock:
            if self._signature is None or now - self._signature[0] > _SIGNATURE_REUSE:
                claims = {
                    "iss": "saas-export",
                    "sub": self.data_space_id,
                    "aud": "commerce-services",
                    "iat": int(now),
                    "exp": int(now) + SIGNATURE_TTL,
                }
                key = self.config.private_key or ""
                self._signature = (now, jwt.encode(claims, key, algorithm="RS256"))
            return self._signature[1]

    def send(self, feed: str, items: Sequence[PendingItem], batch_key: str) -> list[SendResult]:
        if not items:
            return []
        return self._send(feed, list(items))

    def _send(self, feed: str, items: list[PendingItem]) -> list[SendResult]:
        body = orjson.dumps([p.item for p in items])
        content = isal_zlib.compress(body, GZIP_LEVEL, wbits=31) if self.config.gzip else body
        attempts, throttled, problem = 0, 0, ""
        while True:
            try:
                with self.throttle.slot():
                    response = self.client.post(self.url(feed), content=content, headers=self.headers())
            except httpx.TransportError as exc:  # timeouts, refused or dropped connections
                problem = f"{type(exc).__name__}: {exc}"
            else:
                status = response.status_code
                if status == 429:
                    self.throttle.slow_down()
                    throttled += 1
                    if throttled > MAX_THROTTLED:
                        return _all(items, Status.RETRYABLE, f"HTTP 429 {throttled} times: {answer_message(response)}")
                    time.sleep(retry_after(response, fallback=1.0) + random.uniform(0, 0.1))
                    continue
                if status < 500:
                    return self._answered(feed, items, response)
                problem = f"HTTP {status}: {answer_message(response)}"
            attempts += 1
            if attempts >= self.config.attempts:
                log.warning("%s: %d item(s) left retryable after %d attempts: %s", feed, len(items), attempts, problem)
                return _all(items, Status.RETRYABLE, problem)
            time.sleep(random.uniform(0, min(self.config.backoff_max, 0.5 * 2**attempts)))

    def _answered(self, feed: str, items: list[PendingItem], response: httpx.Response) -> list[SendResult]:
        status = response.status_code
        if status in (401, 403):
            raise TargetKeyRefused(self.description, status, answer_message(response))
        too_large = status == 413 or (status == 400 and "items_limit" in response.text)
        if too_large and len(items) > 1:
            half = len(items) // 2
            return self._send(feed, items[:half]) + self._send(feed, items[half:])
        if status >= 300:
            return _all(items, Status.REJECTED, f"HTTP {status}: {answer_message(response)}")
        try:
            invalid = invalid_items(response.json()) if response.content else {}
        except ValueError:
            invalid = {}
        return [
            SendResult(p.feed_id, int(Status.ITEM_REJECTED), invalid[i])
            if i in invalid
            else SendResult(p.feed_id, int(Status.ACCEPTED))
            for i, p in enumerate(items)
        ]


def _all(items: Sequence[PendingItem], status: Status, error: str) -> list[SendResult]:
    return [SendResult(p.feed_id, int(status), error) for p in items]
