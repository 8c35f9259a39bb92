"""Which resync options go together: checked before anything runs, by the CLI and by ``tasks.resync``
(docs/resync-options.md, "Refused combinations")."""

from __future__ import annotations

from collections.abc import Sequence

from exporters.exceptions import TerminalError
from exporters.feeds import FeedSpec


class ConflictingOptions(TerminalError):
    """A combination of resync options that does not make sense; the message says which and why."""


def refusal(
    specs: Sequence[FeedSpec],
    *,
    force: bool = False,
    allow_mass_delete: bool = False,
    cleanup_feed: bool = False,
    no_reindex: bool = False,
) -> str | None:
    """The sentence that refuses these options for these feeds, or None when they make sense together."""
    if cleanup_feed and no_reindex:
        return (
            "--cleanup-feed and --no-reindex conflict: --cleanup-feed empties the feed table that --no-reindex "
            "resends from; give one of them"
        )
    if force and no_reindex:
        return (
            "--force and --no-reindex conflict: --force sends every item, --no-reindex only changed or failed "
            "ones (or a legacy feed's stored rows, unbuilt); give one of them"
        )
    if allow_mass_delete and cleanup_feed:
        return (
            "--allow-mass-delete does not apply with --cleanup-feed: the emptied feed table holds no row whose "
            "deletion could be sent; drop --allow-mass-delete"
        )
    if allow_mass_delete and no_reindex and specs and all(spec.mode == "legacy" for spec in specs):
        return (
            f"--allow-mass-delete does not apply to {specs[0].name} with --no-reindex: a legacy feed's resubmit "
            "sends its stored rows and deletes nothing; drop --allow-mass-delete"
        )
    return None
