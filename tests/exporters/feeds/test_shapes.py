"""Each feed's JSON Schema against Adobe's record shape (``exporters/feeds/shapes/<feed>.json``).

A feed passes when every field Adobe fills is in our schema with the JSON type Adobe's transformer
casts it to, every field of ours is one Adobe declares, and each exception is written down under
``"differences"`` with its reason. The failure message lists every offending field and its fix.
"""

from __future__ import annotations

import importlib.util
import json
import os
from pathlib import Path
from typing import Any

import pytest

from exporters.feeds import shapes
from exporters.feeds.registry import feed_names

ROOT = Path(__file__).resolve().parents[3]
#: The bare clone scripts/feed_shapes.py reads (see its docstring); the check below needs it.
MIRROR = Path(os.environ.get("SAAS_EXPORT_ADOBE_MIRROR", ROOT / "var" / "commerce-data-export.git"))


@pytest.mark.parametrize("feed", shapes.FEEDS)
def test_feed_schema_has_every_adobe_field_with_its_type(feed: str) -> None:
    # given the feed's shape and our schema as they are in the tree
    # when they are compared
    found = shapes.problems(feed)
    # then nothing differs that is not listed with a reason
    report = "\n".join(f"  {p.message()}" for p in found)
    assert not found, f"{len(found)} field(s) of {feed} differ from Adobe's record without a listed reason:\n{report}"


def test_every_registered_feed_has_a_shape() -> None:
    assert sorted(shapes.FEEDS) == sorted(feed_names())


@pytest.mark.parametrize("feed", shapes.FEEDS)
def test_every_shape_names_its_source_and_gives_reasons(feed: str) -> None:
    shape = shapes.load_shape(feed)
    source = shape["source"]
    if feed in ("categoryPermissions", "productOverrides"):
        assert "not public" in source["repository"] and source["documented"]
    else:
        assert source["repository"] == "magento/commerce-data-export"
        assert source["commit"] == "d6da4e6b54d1b52247a8dd8fb7f6dc0a2d9c1d71"
        assert all(path.endswith("etc/et_schema.xml") for path in source["paths"])
    assert all(reason.strip() for reason in shape["differences"].values())


def test_products_shape_merges_the_extension_modules_and_marks_unfilled_fields() -> None:
    shape = shapes.load_shape("products")
    fields = {f["name"]: f for f in shape["fields"]}
    assert len(fields) == 53
    assert [name for name, f in fields.items() if not f["filled"]] == [
        "productType",
        "deletedAt",
        "categoryIds",
        "inventory",
        "variants",
    ]
    assert fields["inStock"]["declaredIn"] == "CatalogInventoryDataExporter/etc/et_schema.xml"
    assert fields["urlRewrites"]["declaredIn"] == "CatalogUrlRewriteDataExporter/etc/et_schema.xml"
    assert fields["parents"]["declaredIn"] == "ParentProductDataExporter/etc/et_schema.xml"
    values = next(f for f in fields["optionsV2"]["fields"] if f["name"] == "values")
    assert [f["name"] for f in values["fields"]][-1] == "priceType"  # from BundleProductDataExporter
    assert fields["type"]["fillNote"].startswith("provider `Type`")  # Bundle re-declares it with a provider


# The comparison itself, on small hand-made shapes and schemas.

SHAPE: dict[str, Any] = {
    "fields": [
        {"name": "sku", "type": "ID", "repeated": False, "filled": True},
        {"name": "qty", "type": "Float", "repeated": False, "filled": True},
        {"name": "deletedAt", "type": "String", "repeated": False, "filled": False},
        {
            "name": "links",
            "type": "Link",
            "repeated": True,
            "filled": True,
            "fields": [
                {"name": "sku", "type": "String", "repeated": False, "filled": True},
                {"name": "position", "type": "Int", "repeated": False, "filled": True},
            ],
        },
    ],
    "differences": {},
}


def schema(**props: Any) -> dict[str, Any]:
    return {"type": "object", "additionalProperties": False, "properties": props}


LINKS = {"type": ["array", "null"], "items": {"$ref": "#/definitions/link"}}
LINK = {"type": "object", "properties": {"sku": {"type": "string"}, "position": {"type": "integer"}}}


def test_a_matching_schema_has_no_problem_even_with_nulls_refs_and_integers_for_floats() -> None:
    ours = schema(sku={"type": "string"}, qty={"type": ["number", "integer", "null"]}, links=LINKS)
    ours["definitions"] = {"link": LINK}
    assert shapes.problems("x", ours, SHAPE) == []
    assert [v.status for v in shapes.verdicts("x", ours, SHAPE)] == ["same", "same", "absent", "same", "same", "same"]


def test_missing_mistyped_and_extra_fields_are_each_reported_with_their_fix() -> None:
    ours = schema(
        sku={"enum": ["a", 1]},
        links={"type": "array", "items": {"type": "object", "properties": {"sku": {"type": "string"}}}},
        deleted={"type": "boolean"},
    )
    found = shapes.problems("x", ours, SHAPE)
    assert [(p.pointer, p.kind) for p in found] == [
        ("/sku", "mistyped"),
        ("/qty", "missing"),
        ("/links/position", "missing"),
        ("/deleted", "extra"),
    ]
    assert found[0].message() == (
        "x/sku: mistyped: Adobe declares ID (JSON string); ours admits ['integer', 'string']. Fix: retype it in "
        'exporters/feeds/schemas/x.json (and the builder), or list "/sku" under "differences" in '
        "exporters/feeds/shapes/x.json with the reason"
    )


def test_a_listed_difference_covers_its_field_and_a_stale_one_is_reported() -> None:
    shape = {**SHAPE, "differences": {"/qty": "we send it as a string", "/deleted": "runtime", "/gone": "old"}}
    ours = schema(
        sku={"type": "string"}, qty={"type": "string"}, links={"type": "integer"}, deleted={"type": "boolean"}
    )
    found = shapes.problems("x", ours, shape)
    assert [(p.pointer, p.kind) for p in found] == [("/links", "mistyped"), ("/gone", "stale")]


def test_a_declared_field_adobe_never_fills_may_be_absent_but_not_mistyped() -> None:
    ours = schema(sku={"type": "string"}, qty={"type": "number"}, links=LINKS, deletedAt={"type": "integer"})
    ours["definitions"] = {"link": LINK}
    assert [(p.pointer, p.kind) for p in shapes.problems("x", ours, SHAPE)] == [("/deletedAt", "mistyped")]


@pytest.mark.skipif(not MIRROR.is_dir(), reason="needs the magento/commerce-data-export mirror")
def test_shape_files_are_what_the_script_derives_from_the_named_commit() -> None:
    spec = importlib.util.spec_from_file_location("feed_shapes", ROOT / "scripts" / "feed_shapes.py")
    assert spec is not None and spec.loader is not None
    script = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(script)
    built = script.build_shapes(MIRROR, script.COMMIT)
    for feed in shapes.FEEDS:
        on_disk = json.loads((ROOT / "exporters" / "feeds" / "shapes" / f"{feed}.json").read_text("utf-8"))
        assert built[feed] == on_disk, f"{feed}: run .venv/bin/python scripts/feed_shapes.py"
