"""A POSTed batch, read and sorted: what is stored, what is removed, what is refused and why.

The answer follows docs/protocol.md: the batch as a whole is refused only when it cannot be read
(400) or is too large (413); a bad item is listed in ``invalidFeedItems`` by its index and the
rest of the batch is kept, as Commerce Services does.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, cast

import orjson
from isal import isal_zlib

from exporters.feeds import FeedSpec
from exporters.feeds.validation import item_error
from exporters.feedtable.hashing import feed_id
from exporters.model import identity_value
from receiver.exceptions import Refused

#: Joins identity values into the sort key: below every printable character, so the order of
#: the keys is the order of the identity tuples.
SORT_SEPARATOR = "\x1f"


#: zlib's window bits for a gzip wrapper (16 + the largest window).
GZIP_WBITS = 31
GZIP_MAGIC = b"\x1f\x8b"
_BAD_GZIP: tuple[type[Exception], ...] = (OSError, EOFError, cast(type[Exception], isal_zlib.error))

#: The longest identity (its values joined) the receiver keeps: its key column's width.
MAX_SORT_KEY = 500


@dataclass(frozen=True)
class Receipt:
    """One accepted item as storage takes it: where it stands in the batch; ``index`` None is a tombstone."""

    feed_id: str
    sort_key: str
    index: int | None


@dataclass
class Batch:
    """A batch sorted into what to store (in batch order) and the answer's ``invalidFeedItems``."""

    receipts: list[Receipt] = field(default_factory=list)
    invalid: list[dict[str, Any]] = field(default_factory=list)


def content_encoding(headers: Mapping[str, str]) -> str:
    """The body's encoding, ``gzip`` or ``identity``; 400 for any other."""
    encoding = (headers.get("content-encoding") or "identity").strip().lower()
    if encoding not in ("gzip", "identity"):
        raise Refused(400, f"unsupported Content-Encoding '{headers.get('content-encoding')}': send gzip or none")
    return encoding


def decompressed(body: bytes, encoding: str) -> bytes:
    """The body as JSON text: gzip undone (with ISA-L, as the sender compresses) when it was sent so."""
    return isal_zlib.decompress(body, wbits=GZIP_WBITS) if encoding == "gzip" else body


def read_items(body: bytes, encoding: str, max_items: int) -> list[Any]:
    """The JSON array of the body (``encoding`` as ``content_encoding`` gave it); 400 when it is not
    one, 413 above ``max_items``."""
    if encoding == "gzip":
        if not body.startswith(GZIP_MAGIC):
            raise Refused(400, f"the body is not valid gzip: it does not start with gzip's bytes 1f 8b ({body[:8]!r})")
        try:
            body = decompressed(body, encoding)
        except _BAD_GZIP as exc:
            raise Refused(400, f"the body is not valid gzip: {exc}") from exc
    try:
        items = orjson.loads(body)
    except orjson.JSONDecodeError as exc:
        raise Refused(400, f"the body is not JSON: {exc}") from exc
    if not isinstance(items, list):
        raise Refused(400, "the body must be a JSON array of feed items")
    if len(items) > max_items:
        raise Refused(413, f"{len(items)} items in one batch; at most {max_items}")
    return items


def sort_batch(spec: FeedSpec, items: list[Any]) -> Batch:
    """Check every item (a tombstone only for its identity) and turn the good ones into receipts."""
    batch = Batch()
    for index, item in enumerate(items):
        tombstone = isinstance(item, dict) and item.get("deleted") is True
        error = identity_error(spec, item) if tombstone else item_error(spec, item)
        sort_key = "" if error else SORT_SEPARATOR.join(str(identity_value(item, key)) for key in spec.identity)
        if len(sort_key) > MAX_SORT_KEY:
            error = f"identity too long: its values joined are {len(sort_key)} characters, at most {MAX_SORT_KEY}"
        if error is not None:
            batch.invalid.append({"itemIndex": index, "code": "INVALID_ITEM", "message": error})
            continue
        batch.receipts.append(Receipt(feed_id(item, spec.identity), sort_key, None if tombstone else index))
    return batch


def identity_error(spec: FeedSpec, item: dict[str, Any]) -> str | None:
    """A tombstone carries only the minimal payload, so its identity is all there is to check."""
    missing = [key for key in spec.identity if identity_value(item, key) is None]
    if missing:
        return f"tombstone without its identity: missing {', '.join(missing)}"
    return None
