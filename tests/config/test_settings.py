"""Settings names as the contract gives them."""

from __future__ import annotations

import pytest

from config import ConfigurationError, Settings, celery_config, get_settings


def test_defaults_are_the_embedded_ones() -> None:
    settings = Settings()
    assert (settings.source_db, settings.feed_db, settings.target, settings.data_space_id) == (
        "sqlite:///var/catalog.sqlite", "sqlite:///var/feeds.sqlite", "file://var/export", "default",
    )  # fmt: skip
    assert settings.broker_url is None and settings.persist_exported_feed is False
    config = celery_config(settings)
    assert (config["broker_url"], config["result_backend"]) == ("memory://localhost/", "cache+memory://")


def test_the_original_switch_keeps_its_name(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PERSIST_EXPORTED_FEED", "1")
    assert Settings().persist_exported_feed is True


def test_a_cluster_configuration(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SAAS_EXPORT_BROKER_URL", "amqp://u:p@rabbit:5672//")
    monkeypatch.setenv("SAAS_EXPORT_RESULT_BACKEND", "redis://redis:6379/0")
    monkeypatch.setenv("SAAS_EXPORT_QUORUM_QUEUES", "true")
    config = celery_config(Settings())
    assert config["broker_transport_options"] == {"confirm_publish": True}
    assert config["task_default_queue_type"] == "quorum"
    assert (config["task_acks_late"], config["task_reject_on_worker_lost"], config["worker_prefetch_multiplier"]) == (
        True, True, 1,
    )  # fmt: skip
    assert config["task_soft_time_limit"] < config["task_time_limit"] < 1800
    assert config["worker_send_task_events"] is True


def test_an_invalid_value_names_the_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SAAS_EXPORT_TASK_TIME_LIMIT", "3600")
    with pytest.raises(ConfigurationError) as raised:
        get_settings()
    assert str(raised.value) == (
        "invalid configuration: SAAS_EXPORT_TASK_TIME_LIMIT: Input should be less than 1800. "
        "Fix the environment or .env file."
    )
