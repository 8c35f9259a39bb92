"""celery beat's schedule from the settings: the sweeper, failed items, the purge, per-feed resyncs."""

from __future__ import annotations

import pytest
from celery.schedules import crontab

from config import ConfigurationError, Settings, celery_config, get_settings


def test_the_default_schedule_retries_every_five_minutes_and_purges_daily_at_two() -> None:
    # Given no setting; then beat sends the sweeper, retry_failed and the legacy submit every 300 s, the purge
    # at 02:00, no resync
    assert celery_config(Settings())["beat_schedule"] == {
        "sweep": {"task": "tasks.sweep", "schedule": 60.0},
        "retry-failed": {"task": "tasks.retry_failed", "schedule": 300.0},
        "purge-tombstones": {"task": "tasks.purge_tombstones", "schedule": crontab(minute="0", hour="2")},
        "submit-legacy": {"task": "tasks.submit_legacy", "schedule": 300.0},
    }
    assert Settings().tombstone_max_age_days == 7.0


def test_a_feed_schedule_adds_its_full_resync_on_the_cron_expression(monkeypatch: pytest.MonkeyPatch) -> None:
    # Given nightly products at 02:00, prices every 15 minutes on weekdays, and retries every 2 s
    monkeypatch.setenv("SAAS_EXPORT_SCHEDULE__PRODUCTS", "0 2 * * *")
    monkeypatch.setenv("SAAS_EXPORT_SCHEDULE__PRICES", "*/15 * * * 1-5")
    monkeypatch.setenv("SAAS_EXPORT_RETRY_FAILED_INTERVAL", "2")
    schedule = celery_config(get_settings())["beat_schedule"]
    # Then each feed's resync is a crontab entry with its feed
    assert schedule["resync-products"] == {
        "task": "tasks.scheduled_resync",
        "schedule": crontab(minute="0", hour="2"),
        "kwargs": {"feed": "products"},
    }
    assert schedule["resync-prices"]["schedule"] == crontab(minute="*/15", day_of_week="1-5")
    assert schedule["retry-failed"]["schedule"] == 2.0


@pytest.mark.parametrize(
    ("expression", "problem"),
    [
        (
            "0 2 * *",
            "the schedule of feed 'products' is '0 2 * *': give five cron fields, minute hour day-of-month month "
            "day-of-week, e.g. '0 2 * * *' for every day at 02:00 UTC",
        ),
        (
            "0 25 * * *",
            "the schedule of feed 'products' is '0 25 * * *', not a cron expression (Invalid end range: 25 > 23.); "
            "e.g. '0 2 * * *'",
        ),
    ],
)
def test_a_bad_cron_expression_names_the_feed_and_the_fix(
    monkeypatch: pytest.MonkeyPatch, expression: str, problem: str
) -> None:
    monkeypatch.setenv("SAAS_EXPORT_SCHEDULE__PRODUCTS", expression)
    with pytest.raises(ConfigurationError) as raised:
        get_settings()
    assert (
        str(raised.value)
        == f"invalid configuration: SAAS_EXPORT_SCHEDULE: {problem}. Fix the environment or .env file."
    )
