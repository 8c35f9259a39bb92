"""The two path segments every feed route carries: the feed name and the data space id."""

from __future__ import annotations

import re

from exporters.exceptions import UnknownFeed
from exporters.feeds import FeedSpec, get_feed
from receiver.exceptions import Refused

#: The rule of ``SAAS_EXPORT_DATA_SPACE_ID`` (config/settings.py), repeated here because the
#: receiver reads no settings: a sender that passes its own check is never refused here.
_DATA_SPACE = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.-]{0,63}")


def feed_of(name: str) -> FeedSpec:
    """The feed named in the path, in any letter case (as Commerce Services and ``saas:resync`` accept it)."""
    try:
        return get_feed(name)
    except UnknownFeed as exc:
        raise Refused(404, str(exc)) from exc


def data_space_of(value: str) -> str:
    """The data space id of the path, refused when it could not have come from a valid setting."""
    if ".." in value or not _DATA_SPACE.fullmatch(value):
        raise Refused(
            400,
            f"'{value}' is not a data space id: use 1-64 letters, digits, '_', '-' or '.', "
            "not starting with '.' and without '..'",
        )
    return value
