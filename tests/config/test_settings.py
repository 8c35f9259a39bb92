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


@pytest.mark.parametrize("value", ["../other", "a/b", ".hidden", "x" * 65, "", "a..b", "space id"])
def test_a_data_space_id_that_could_leave_its_folder_is_refused(monkeypatch: pytest.MonkeyPatch, value: str) -> None:
    monkeypatch.setenv("SAAS_EXPORT_DATA_SPACE_ID", value)
    get_settings.cache_clear()
    with pytest.raises(ConfigurationError) as raised:
        get_settings()
    assert str(raised.value).startswith(
        f"invalid configuration: SAAS_EXPORT_DATA_SPACE_ID: '{value}' is not a data space id: use 1-64 letters, "
    )


def test_an_ordinary_data_space_id_is_kept(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SAAS_EXPORT_DATA_SPACE_ID", "3b2e-prod_v1.2")
    assert Settings().data_space_id == "3b2e-prod_v1.2"


def test_a_soft_time_limit_not_below_the_hard_one_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SAAS_EXPORT_TASK_SOFT_TIME_LIMIT", "1680")
    get_settings.cache_clear()
    with pytest.raises(ConfigurationError) as raised:
        get_settings()
    assert str(raised.value) == (
        "invalid configuration: SAAS_EXPORT_TASK_SOFT_TIME_LIMIT (1680) must be below SAAS_EXPORT_TASK_TIME_LIMIT "
        "(1680): the soft limit lets a chunk record its failure before the hard limit kills it. Fix the environment "
        "or .env file."
    )


def test_the_settings_never_show_a_password(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SAAS_EXPORT_SOURCE_DB", "mysql://shop:s3cret@db/magento")
    monkeypatch.setenv("SAAS_EXPORT_BROKER_URL", "amqp://guest:hunter2@rabbit//")
    monkeypatch.setenv("SAAS_EXPORT_API_KEY", "k-123456")
    shown = repr(Settings())
    assert "mysql://shop:***@db/magento" in shown and "amqp://guest:***@rabbit//" in shown
    assert "s3cret" not in shown and "hunter2" not in shown and "k-123456" not in shown


def test_the_sweeper_is_on_celery_beat_s_schedule(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SAAS_EXPORT_SWEEP_INTERVAL", "15")
    assert celery_config(Settings())["beat_schedule"]["sweep"] == {"task": "tasks.sweep", "schedule": 15.0}
