"""``file://DIR``: NDJSON batches under ``DIR/<dataSpaceId>/<feed>/``, written atomically."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Sequence
from pathlib import Path

import orjson

from exporters.model import PendingItem, SendResult, Status
from exporters.targets.base import TargetUnavailable

#: Items per NDJSON file: larger than an HTTP request's, to keep the number of files reasonable.
FILE_BATCH = 500


class FileTarget:
    """Each batch becomes ``<batch_key>.ndjson``: a temp file in the same folder, then a rename.

    A reader never sees half a file, and a batch written again (a redelivered chunk) replaces
    the file it wrote before instead of adding a copy.
    """

    def __init__(self, root: Path, data_space_id: str) -> None:
        self.root = root
        self.data_space_id = data_space_id
        self.description = f"file://{root}"
        self.parallel = 1

    def batch_size(self, feed: str) -> int:
        return FILE_BATCH

    def folder(self, feed: str) -> Path:
        return self.root / self.data_space_id / feed

    def send(self, feed: str, items: Sequence[PendingItem], batch_key: str) -> list[SendResult]:
        if not items:
            return []
        folder = self.folder(feed)
        body = b"".join(orjson.dumps(p.item) + b"\n" for p in items)
        try:
            folder.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=f".{batch_key}.", suffix=".tmp", dir=folder)
            try:
                with os.fdopen(fd, "wb") as handle:
                    handle.write(body)
                    handle.flush()
                    os.fsync(handle.fileno())
                os.replace(tmp, folder / f"{batch_key}.ndjson")
            except BaseException:
                Path(tmp).unlink(missing_ok=True)
                raise
        except OSError as exc:
            raise TargetUnavailable(self.description, f"{exc.strerror or exc} ({folder})") from exc
        return [SendResult(p.feed_id, int(Status.ACCEPTED)) for p in items]
