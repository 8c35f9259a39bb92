"""The file target: NDJSON batches written atomically, a batch key written twice is one file."""

from __future__ import annotations

from pathlib import Path

import orjson
import pytest

from exporters.model import PendingItem, SendResult
from exporters.targets import BadTarget, FileTarget, NullTarget, TargetUnavailable, open_target


def pending(*skus: str) -> list[PendingItem]:
    return [PendingItem(f"id-{sku}", {"sku": sku, "name": "Zoë"}) for sku in skus]


def test_a_batch_is_one_ndjson_file_under_the_data_space_and_feed(tmp_path: Path) -> None:
    target = open_target(f"file://{tmp_path}", "space-1")
    results = target.send("products", pending("A", "B"), "run-000001-0000")
    assert results == [SendResult("id-A", 200), SendResult("id-B", 200)]
    files = list((tmp_path / "space-1" / "products").iterdir())
    assert [f.name for f in files] == ["run-000001-0000.ndjson"]
    assert [orjson.loads(line) for line in files[0].read_bytes().splitlines()] == [
        {"sku": "A", "name": "Zoë"}, {"sku": "B", "name": "Zoë"},
    ]  # fmt: skip


def test_the_same_batch_key_replaces_its_file(tmp_path: Path) -> None:
    target = FileTarget(tmp_path, "default")
    target.send("products", pending("A", "B"), "k")
    target.send("products", pending("A"), "k")
    assert (tmp_path / "default" / "products" / "k.ndjson").read_bytes().count(b"\n") == 1
    assert sorted(p.name for p in (tmp_path / "default" / "products").iterdir()) == ["k.ndjson"]


def test_an_unwritable_folder_is_a_transient_error(tmp_path: Path) -> None:
    (tmp_path / "blocker").write_text("x")
    with pytest.raises(TargetUnavailable) as raised:
        FileTarget(tmp_path / "blocker", "default").send("products", pending("A"), "k")
    assert str(raised.value).startswith(f"target file://{tmp_path / 'blocker'} is unavailable: Not a directory")


def test_null_and_unknown_targets() -> None:
    assert isinstance(open_target("null://", "default"), NullTarget)
    assert open_target("null://", "d").send("products", pending("A"), "k") == [SendResult("id-A", 200)]
    with pytest.raises(BadTarget, match=r"unsupported target 'ftp://x'\. Use http\(s\)://HOST\[/prefix\]"):
        open_target("ftp://x", "default")


def test_an_unsupported_target_is_shown_without_its_password() -> None:
    with pytest.raises(BadTarget) as raised:
        open_target("ftp://shop:s3cret@files.example/feeds", "default")
    assert str(raised.value).startswith("unsupported target 'ftp://shop:***@files.example/feeds'. ")
    assert "s3cret" not in str(raised.value)
