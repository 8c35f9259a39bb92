"""Adobe's record shapes, kept as data, and the check of our JSON Schemas against them.

Each feed has ``shapes/<feed>.json``: the fields Adobe's exporter declares for the record (read by
``scripts/feed_shapes.py`` from the ``et_schema.xml`` files of a named commit of
``magento/commerce-data-export``, or from Adobe's published description for the two Adobe
Commerce feeds whose modules are not public), whether a provider fills each one, and under
``differences`` the JSON pointers where we knowingly differ, each with its reason. The comparison
lives here, not in the test, so that the script can print the same verdicts into
``docs/feed-fields.md``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any, Literal

from exporters.feeds.validation import load_schema

#: Adobe's scalar types and the JSON types its transformer casts them to
#: (``DataExporter/Export/Transformer.php``: ID and String to string, Int to int, Float to float).
SCALAR_JSON_TYPES: dict[str, str] = {
    "ID": "string",
    "String": "string",
    "Int": "integer",
    "Float": "number",
    "Boolean": "boolean",
}

FEEDS = (
    "products",
    "prices",
    "categories",
    "productAttributes",
    "variants",
    "inventoryStockStatus",
    "scopesWebsite",
    "scopesCustomerGroup",
    "orders",
    "categoryPermissions",
    "productOverrides",
)

TKind = Literal["missing", "mistyped", "extra", "stale"]
PROBLEM_KINDS: dict[str, TKind] = {"missing": "missing", "mistyped": "mistyped", "extra": "extra"}


@dataclass(frozen=True)
class Problem:
    """One place where our schema and Adobe's shape disagree without a recorded reason."""

    feed: str
    pointer: str
    kind: TKind
    detail: str

    def message(self) -> str:
        shape = f"exporters/feeds/shapes/{self.feed}.json"
        schema = f"exporters/feeds/schemas/{self.feed}.json"
        fixes = {
            "missing": f'add it to {schema} and the builder, or list "{self.pointer}" under "differences" in {shape} '
            "with the reason",
            "mistyped": f'retype it in {schema} (and the builder), or list "{self.pointer}" under "differences" in '
            f"{shape} with the reason",
            "extra": f'drop it from {schema}, or list "{self.pointer}" under "differences" in {shape} with the reason',
            "stale": f'remove "{self.pointer}" from "differences" in {shape}',
        }
        return f"{self.feed}{self.pointer}: {self.kind}: {self.detail}. Fix: {fixes[self.kind]}"


@dataclass(frozen=True)
class Verdict:
    """How one Adobe field (or one field of ours) stands: ``same``, ``differs``, ``missing``, ``mistyped``,
    ``extra`` or ``absent`` (declared, never filled by Adobe, and not in ours)."""

    pointer: str
    status: str
    note: str


@cache
def load_shape(feed: str) -> dict[str, Any]:
    text = resources.files("exporters.feeds").joinpath("shapes", f"{feed}.json").read_text("utf-8")
    shape: dict[str, Any] = json.loads(text)
    return shape


def adobe_type(field: dict[str, Any]) -> str:
    """The declared type as written in the docs: ``[String]`` for a repeated field."""
    kind = str(field["type"])
    return f"[{kind}]" if field.get("repeated") else kind


def _resolve(node: dict[str, Any], root: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in node:
        ref = str(node["$ref"])
        if not ref.startswith("#/"):
            raise ValueError(f"only local $ref is supported, got {ref}")
        target: Any = root
        for part in ref[2:].split("/"):
            target = target[part]
        node = target
    return node


def _branches(node: dict[str, Any], root: dict[str, Any]) -> list[dict[str, Any]]:
    node = _resolve(node, root)
    alternatives = [*node.get("oneOf", []), *node.get("anyOf", [])]
    if not alternatives:
        return [node]
    out = [node]
    for alternative in alternatives:
        out.extend(_branches(alternative, root))
    return out


def _json_type_of(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, str):
        return "string"
    return "array" if isinstance(value, list) else "object"


def schema_types(node: dict[str, Any], root: dict[str, Any]) -> set[str]:
    """Every JSON type ``node`` admits (``type``, ``enum``/``const`` values, ``oneOf``/``anyOf`` branches)."""
    types: set[str] = set()
    for branch in _branches(node, root):
        declared = branch.get("type")
        if isinstance(declared, str):
            types.add(declared)
        elif isinstance(declared, list):
            types.update(str(t) for t in declared)
        elif "enum" in branch:
            types.update(_json_type_of(v) for v in branch["enum"])
        elif "const" in branch:
            types.add(_json_type_of(branch["const"]))
        elif "properties" in branch:
            types.add("object")
    return types


def schema_properties(node: dict[str, Any], root: dict[str, Any]) -> dict[str, dict[str, Any]]:
    props: dict[str, dict[str, Any]] = {}
    for branch in _branches(node, root):
        props.update(branch.get("properties", {}))
    return props


def schema_items(node: dict[str, Any], root: dict[str, Any]) -> dict[str, Any]:
    for branch in _branches(node, root):
        items = branch.get("items")
        if isinstance(items, dict):
            return items
    return {}


def _type_problem(field: dict[str, Any], node: dict[str, Any], root: dict[str, Any]) -> str | None:
    """Why ``node`` (without null) cannot carry the values Adobe's transformer gives ``field``, or None."""
    types = schema_types(node, root) - {"null"}
    if field.get("repeated"):
        if types != {"array"}:
            return f"Adobe declares {adobe_type(field)} (a JSON array); ours admits {sorted(types)}"
        node = schema_items(node, root)
        types = schema_types(node, root) - {"null"}
    kind = str(field["type"])
    if kind in SCALAR_JSON_TYPES:
        wanted = SCALAR_JSON_TYPES[kind]
        fits = "number" in types and types <= {"number", "integer"} if wanted == "number" else types == {wanted}
        if not fits:
            where = "its items: " if field.get("repeated") else ""
            return f"Adobe declares {adobe_type(field)} (JSON {wanted}); ours admits {where}{sorted(types)}"
        return None
    if types != {"object"}:
        return f"Adobe declares the record {adobe_type(field)} (a JSON object); ours admits {sorted(types)}"
    return None


def _element(node: dict[str, Any], field: dict[str, Any], root: dict[str, Any]) -> dict[str, Any]:
    return schema_items(node, root) if field.get("repeated") else node


def verdicts(feed: str, schema: dict[str, Any] | None = None, shape: dict[str, Any] | None = None) -> list[Verdict]:
    """Every Adobe field and every field of ours, in Adobe's order then ours, with how it stands.

    ``schema`` and ``shape`` default to the feed's files; passing them checks other versions (a schema
    as it was at an earlier commit, a shape under test).
    """
    shape = shape if shape is not None else load_shape(feed)
    root = schema if schema is not None else load_schema(f"{feed}.json")
    differences: dict[str, str] = shape.get("differences", {})
    out: list[Verdict] = []

    def walk(fields: list[dict[str, Any]], node: dict[str, Any] | None, pointer: str) -> None:
        props = schema_properties(node, root) if node is not None else {}
        declared = set()
        for field in fields:
            name = str(field["name"])
            declared.add(name)
            here = f"{pointer}/{name}"
            ours = props.get(name)
            if here in differences:
                # The reason covers the whole subtree: nested fields are not compared.
                out.append(Verdict(here, "differs", differences[here]))
                continue
            if ours is None:
                if field.get("filled", True):
                    out.append(Verdict(here, "missing", f"Adobe declares {adobe_type(field)}; ours has no such field"))
                else:
                    out.append(Verdict(here, "absent", "declared by Adobe, never filled; not in ours"))
                continue
            problem = _type_problem(field, ours, root)
            if problem is not None:
                out.append(Verdict(here, "mistyped", problem))
                continue
            out.append(Verdict(here, "same", ""))
            if field.get("fields"):
                walk(field["fields"], _element(ours, field, root), here)
        for name in props:
            if name in declared:
                continue
            here = f"{pointer}/{name}"
            if here in differences:
                out.append(Verdict(here, "differs", differences[here]))
            else:
                out.append(Verdict(here, "extra", "in our schema, not declared by Adobe"))

    walk(shape["fields"], root, "")
    return out


def problems(feed: str, schema: dict[str, Any] | None = None, shape: dict[str, Any] | None = None) -> list[Problem]:
    """The disagreements a test must fail on, plus ``differences`` entries that name no field."""
    shape = shape if shape is not None else load_shape(feed)
    found: list[Problem] = []
    seen: set[str] = set()
    for verdict in verdicts(feed, schema, shape):
        seen.add(verdict.pointer)
        kind = PROBLEM_KINDS.get(verdict.status)
        if kind is not None:
            found.append(Problem(feed, verdict.pointer, kind, verdict.note))
    for pointer in shape.get("differences", {}):
        if pointer not in seen:
            found.append(Problem(feed, pointer, "stale", "listed as a difference but neither Adobe nor ours has it"))
    return found


def _filled_pointers(fields: list[dict[str, Any]], pointer: str = "") -> list[str]:
    out = []
    for field in fields:
        if field.get("filled", True):
            here = f"{pointer}/{field['name']}"
            out.append(here)
            out.extend(_filled_pointers(field.get("fields", []), here))
    return out


def counts(feed: str, schema: dict[str, Any] | None = None) -> dict[str, int]:
    """Fields Adobe declares and fills, ours, and ours matching Adobe's type: top level, then with nested
    fields (``*All``: every JSON pointer Adobe fills, and how many of those ours has with the same type)."""
    shape = load_shape(feed)
    root = schema if schema is not None else load_schema(f"{feed}.json")
    every = {v.pointer: v for v in verdicts(feed, root)}
    declared = [str(f["name"]) for f in shape["fields"]]
    filled = [str(f["name"]) for f in shape["fields"] if f.get("filled", True)]
    ours = set(schema_properties(root, root))
    filled_all = _filled_pointers(shape["fields"])
    return {
        "declared": len(declared),
        "filled": len(filled),
        "ours": len(ours),
        "oursOfDeclared": len(ours & set(declared)),
        "oursOfFilled": len(ours & set(filled)),
        "sameOfFilled": sum(1 for name in filled if every[f"/{name}"].status == "same"),
        "filledAll": len(filled_all),
        "sameOfFilledAll": sum(1 for p in filled_all if p in every and every[p].status == "same"),
    }
