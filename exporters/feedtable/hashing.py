"""Item identity and change detection, as the original exporter computes them.

``feed_id`` is the sha1 of the identity values joined by NUL; ``feed_hash`` is the sha1 of the
canonical JSON of the item without the fields that change on every build (``modifiedAt``,
``updatedAt``). Keys are sorted and lists are already sorted by the builders, so the same source
data gives the same hash on every database and every run.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from typing import Any

import orjson

from exporters.model import identity_value


def canonical_json(value: Any) -> bytes:
    return orjson.dumps(value, option=orjson.OPT_SORT_KEYS)


def feed_id(item: Mapping[str, Any], identity: Iterable[str]) -> str:
    values = (identity_value(item, key) for key in identity)
    joined = "\0".join("" if value is None else str(value) for value in values)
    return hashlib.sha1(joined.encode("utf-8")).hexdigest()


def feed_hash(item: Mapping[str, Any], excludes: Iterable[str]) -> str:
    skip = set(excludes)
    return hashlib.sha1(canonical_json({k: v for k, v in item.items() if k not in skip})).hexdigest()
