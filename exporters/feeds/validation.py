"""Every built item is checked against its feed's JSON Schema before it is hashed or sent.

An item that breaks the schema becomes an ``ItemFailure`` with the validator's message: that
item is recorded as failed and the rest of the range goes on. fastjsonschema compiles the
schema to Python once per process, which keeps validation a small share of building an item.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from functools import cache
from importlib import resources
from typing import Any

import fastjsonschema

from exporters.feeds.base import FeedSpec
from exporters.model import BuildResult, ErrorCode, Item, ItemFailure


@cache
def load_schema(schema_file: str) -> dict[str, Any]:
    text = resources.files("exporters.feeds").joinpath("schemas", schema_file).read_text("utf-8")
    schema: dict[str, Any] = json.loads(text)
    return schema


@cache
def validator_for(schema_file: str) -> Callable[[Any], Any]:
    validate: Callable[[Any], Any] = fastjsonschema.compile(load_schema(schema_file))
    return validate


def item_error(spec: FeedSpec, item: Item) -> str | None:
    """The schema violation of ``item`` as one line, or None when it is valid."""
    try:
        validator_for(spec.schema_file)(item)
    except fastjsonschema.JsonSchemaValueException as exc:
        return f"schema violation: {exc.message}"
    return None


def validate(spec: FeedSpec, result: BuildResult) -> BuildResult:
    """Move the items that break the schema from ``items`` to ``failures``."""
    valid: list[Item] = []
    for item in result.items:
        error = item_error(spec, item)
        if error is None:
            valid.append(item)
            continue
        result.failures.append(
            ItemFailure(
                source_id=int(item[spec.source_key]),
                error=error,
                identity={key: item.get(key) for key in spec.identity},
                code=ErrorCode.SCHEMA,
            )
        )
    result.items = valid
    return result
