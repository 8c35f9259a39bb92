"""The HTTP target's reading of answers, on plain values (the receiver tests send for real)."""

from __future__ import annotations

import time
from email.utils import formatdate

import httpx
import orjson

from exporters.targets import ConnectorMetadata, HttpConfig
from exporters.targets.http import answer_message, invalid_items, retry_after


def test_invalid_items_are_read_in_both_of_the_originals_forms() -> None:
    body = {
        "invalidFeedItems": [
            {"itemIndex": 2, "code": "INVALID_ITEM", "message": "sku is required"},
            {"field": "/5/price", "message": "must be a number"},
            {"field": "/not-an-index/x", "message": "ignored"},
            "not an entry",
        ]
    }
    assert invalid_items(body) == {2: "INVALID_ITEM: sku is required", 5: "must be a number"}
    assert invalid_items({}) == invalid_items([]) == {}


def test_retry_after_reads_seconds_and_dates_and_is_bounded() -> None:
    def answer(value: str | None) -> httpx.Response:
        return httpx.Response(429, headers={} if value is None else {"Retry-After": value})

    assert retry_after(answer("3"), fallback=1.0) == 3.0
    assert retry_after(answer("3600"), fallback=1.0) == 60.0
    assert retry_after(answer(None), fallback=1.5) == 1.5
    assert 8.0 <= retry_after(answer(formatdate(time.time() + 10, usegmt=True)), fallback=1.0) <= 10.0
    assert retry_after(answer("soon"), fallback=2.0) == 2.0


def test_an_error_answer_is_shortened_to_its_message() -> None:
    assert answer_message(httpx.Response(400, json={"message": "bad batch"})) == "bad batch"
    assert answer_message(httpx.Response(400, json={"code": "items_limit_exceeded"})) == "items_limit_exceeded"
    assert answer_message(httpx.Response(502, text="x" * 1000)) == "x" * 300


def test_the_connector_headers_name_the_edition() -> None:
    headers = ConnectorMetadata("Adobe Commerce").headers
    assert orjson.loads(headers["service-connector-metadata"]) == {
        "commerceEdition": "Adobe Commerce",
        "commerceVersion": "2.4",
    }
    assert headers["User-Agent"] == "Magento Services Connector (Magento: Adobe Commerce 2.4) saas-export/0.1.0"


def test_secrets_never_show_in_the_configuration() -> None:
    shown = repr(HttpConfig(api_key="k-123456", private_key="-----BEGIN PRIVATE KEY-----"))
    assert "k-123456" not in shown and "PRIVATE" not in shown
