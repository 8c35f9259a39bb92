"""Batch size and thread count precedence: CLI option, then environment, then built-in."""

from __future__ import annotations

import pytest

from config import FEED_DEFAULTS, Settings, resolve_tuning


def test_builtin_defaults_apply_without_overrides() -> None:
    assert resolve_tuning(Settings(), "products") == FEED_DEFAULTS["products"]


def test_environment_beats_builtin_and_cli_beats_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SAAS_EXPORT_FEEDS__PRODUCTS__BATCH_SIZE", "250")
    monkeypatch.setenv("SAAS_EXPORT_FEEDS__PRODUCTS__THREAD_COUNT", "6")
    settings = Settings()
    assert (resolve_tuning(settings, "products").batch_size, resolve_tuning(settings, "products").thread_count) == (
        250, 6,
    )  # fmt: skip
    assert resolve_tuning(settings, "products", batch_size=40).batch_size == 40
    assert resolve_tuning(settings, "products", thread_count=3).thread_count == 3


def test_a_non_positive_environment_value_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SAAS_EXPORT_FEEDS__PRODUCTS__BATCH_SIZE", "0")
    with pytest.raises(ValueError, match="greater than 0"):
        Settings()
