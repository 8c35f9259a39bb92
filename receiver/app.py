"""The receiver's routes (docs/protocol.md, docs/receiver.md): Starlette over the other modules.

Each handler checks the key first, so a refused caller learns nothing about feeds or data
spaces. A batch is read, checked and stored in the event loop, one at a time: under the GIL,
handing it to a thread made every item cost twice the CPU (docs/benchmarks.md, "HTTP delivery"),
and a batch takes a few milliseconds. Reads, which may parse many stored batches, run in the
thread pool.
"""

from __future__ import annotations

import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import orjson
from sqlalchemy.exc import DBAPIError
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from exporters.exceptions import error_line
from exporters.feeds import FeedSpec
from receiver.auth import Gate
from receiver.configuration import ReceiverConfig
from receiver.exceptions import Refused
from receiver.faults import Faults
from receiver.intake import content_encoding, read_items, sort_batch
from receiver.paths import data_space_of, feed_of
from receiver.storage import Storage
from receiver.traffic import Traffic

#: The most items one GET returns.
MAX_PAGE = 1000
DEFAULT_PAGE = 100


class JSONAnswer(Response):
    """orjson, as everywhere else in the project: the same bytes for the same item."""

    media_type = "application/json"

    def render(self, content: Any) -> bytes:
        return orjson.dumps(content)


def create_app(config: ReceiverConfig) -> Starlette:
    """The receiver as an ASGI app; its tables exist once this returns (a bad database fails here)."""
    gate = Gate(config.api_key, config.public_key)
    storage = Storage(config.db_url)
    service = _Service(config, gate, storage)

    @asynccontextmanager
    async def lifespan(_app: Starlette) -> AsyncIterator[None]:
        yield
        storage.close()

    return Starlette(
        routes=[
            Route("/feeds/{feed}/v1/{data_space}", service.post_batch, methods=["POST"]),
            Route("/feeds/{feed}/v1/{data_space}", service.get_items, methods=["GET"]),
            Route("/receipts/{feed}/v1/{data_space}", service.get_receipts, methods=["GET"]),
            Route("/data-spaces/{data_space}", service.get_data_space, methods=["GET"]),
            Route("/data-spaces/{data_space}", service.delete_data_space, methods=["DELETE"]),
            Route("/stats", service.get_stats, methods=["GET"]),
            Route("/health", health, methods=["GET"]),
        ],
        exception_handlers={Refused: _refused, HTTPException: _http_error, DBAPIError: _database_error},
        lifespan=lifespan,
    )


class _Service:
    """The handlers, sharing one gate, one set of faults and one storage."""

    def __init__(self, config: ReceiverConfig, gate: Gate, storage: Storage) -> None:
        self.gate = gate
        self.storage = storage
        self.faults = Faults(config)
        self.max_items = config.max_items
        self.traffic = Traffic()

    async def post_batch(self, request: Request) -> Response:
        """A batch, recorded in the traffic with the status it was answered with."""
        arrived, status = time.monotonic(), 500
        try:
            response = await self._post_batch(request)
            status = response.status_code
            return response
        except Refused as exc:
            status = exc.status
            raise
        except HTTPException as exc:
            status = exc.status_code
            raise
        finally:
            self.traffic.record(arrived, status)

    async def get_stats(self, request: Request) -> Response:
        self.gate.check_key(request.headers)
        return JSONAnswer(self.traffic.stats())

    async def _post_batch(self, request: Request) -> Response:
        # The body is read before any refusal: answering while a large batch is still being
        # sent would reset the connection, and the sender would see an error instead of ours.
        body = await request.body()
        spec, data_space = self._feed_route(request, signed=True)
        await self.faults.apply()
        encoding = content_encoding(request.headers)
        batch = sort_batch(spec, read_items(body, encoding, self.max_items))
        self.storage.receive(data_space, spec.name, batch.receipts, body, encoding)
        return JSONAnswer({"invalidFeedItems": batch.invalid})

    async def get_items(self, request: Request) -> Response:
        spec, data_space = self._feed_route(request)
        offset = _int_param(request, "offset", 0, maximum=None)
        limit = _int_param(request, "limit", DEFAULT_PAGE, maximum=MAX_PAGE)
        items, total = await run_in_threadpool(self.storage.items, data_space, spec.name, offset, limit)
        return JSONAnswer({"items": items, "total": total, "offset": offset, "limit": limit})

    async def get_receipts(self, request: Request) -> Response:
        spec, data_space = self._feed_route(request)
        receipts, requests = await run_in_threadpool(self.storage.receipts, data_space, spec.name)
        return JSONAnswer({"receipts": receipts, "requests": requests})

    async def get_data_space(self, request: Request) -> Response:
        data_space = self._data_space_route(request)
        feeds = await run_in_threadpool(self.storage.feeds, data_space)
        return JSONAnswer({"dataSpaceId": data_space, "feeds": feeds})

    async def delete_data_space(self, request: Request) -> Response:
        data_space = self._data_space_route(request)
        return JSONAnswer({"deleted": await run_in_threadpool(self.storage.delete, data_space)})

    def _feed_route(self, request: Request, *, signed: bool = False) -> tuple[FeedSpec, str]:
        """The credentials first (and the signature, for ``signed``), then the feed and data space of the path."""
        self.gate.check_key(request.headers)
        if signed:
            self.gate.check_signature(request.headers, request.path_params["data_space"])
        return feed_of(request.path_params["feed"]), data_space_of(request.path_params["data_space"])

    def _data_space_route(self, request: Request) -> str:
        self.gate.check_key(request.headers)
        return data_space_of(request.path_params["data_space"])


async def health(_request: Request) -> Response:
    """Open without a key: a readiness probe learns nothing but that the receiver is up."""
    return JSONAnswer({"status": "ok"})


def _int_param(request: Request, name: str, default: int, *, maximum: int | None) -> int:
    raw = request.query_params.get(name)
    if raw is None:
        return default
    try:
        value = int(raw)
    except ValueError:
        value = -1
    if value < 0 or (maximum is not None and value > maximum):
        bounds = f"from 0 to {maximum}" if maximum is not None else "of 0 or more"
        raise Refused(400, f"{name} must be an integer {bounds}, not '{raw}'")
    return value


async def _refused(_request: Request, exc: Exception) -> Response:
    assert isinstance(exc, Refused)
    return JSONAnswer({"message": exc.message}, status_code=exc.status, headers=exc.headers)


async def _http_error(_request: Request, exc: Exception) -> Response:
    """Starlette's own answers (no such route, method not allowed) in the protocol's JSON shape."""
    assert isinstance(exc, HTTPException)
    return JSONAnswer({"message": exc.detail}, status_code=exc.status_code, headers=exc.headers)


async def _database_error(_request: Request, exc: Exception) -> Response:
    """503: the sender retries a batch the database could not take now, as it would any 5xx."""
    assert isinstance(exc, DBAPIError)
    return JSONAnswer({"message": f"the receiver database failed: {error_line(exc)}"}, status_code=503)
