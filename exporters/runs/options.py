"""Which resync options go together: checked before anything runs, by the CLI and by ``tasks.resync``
(docs/resync-options.md, "Refused combinations")."""

from __future__ import annotations

from collections.abc import Sequence

from exporters.exceptions import TerminalError
from exporters.feeds import FeedSpec
from exporters.runs.byids import BadIdList, parse_ids, product_keyed


class ConflictingOptions(TerminalError):
    """A combination of resync options that does not make sense; the message says which and why."""


def refusal(
    specs: Sequence[FeedSpec],
    *,
    force: bool = False,
    allow_mass_delete: bool = False,
    cleanup_feed: bool = False,
    no_reindex: bool = False,
    by_ids: str | None = None,
    id_type: str | None = None,
    continue_resync: bool = False,
) -> str | None:
    """The sentence that refuses these options for these feeds, or None when they make sense together.

    ``by_ids`` is the raw ``--by-ids`` value (``@path`` is read here, to refuse an unreadable file).
    """
    if id_type is not None and by_ids is None:
        return "--id-type needs --by-ids: it says what the --by-ids list holds; add --by-ids or drop --id-type"
    if continue_resync and cleanup_feed:
        return (
            "--continue-resync and --cleanup-feed conflict: --cleanup-feed empties the feed table the interrupted "
            "run was filling; give one of them"
        )
    if continue_resync and by_ids is not None:
        return (
            "--continue-resync and --by-ids conflict: --continue-resync resumes the interrupted run with its own "
            "options; give one of them"
        )
    if by_ids is not None:
        if cleanup_feed:
            return (
                "--by-ids and --cleanup-feed conflict: --cleanup-feed empties the whole feed table, --by-ids sends "
                "only the given products; give one of them"
            )
        if no_reindex:
            return (
                "--by-ids and --no-reindex conflict: --by-ids builds and sends the given products whatever their "
                "hash; give one of them"
            )
        other = [spec.name for spec in specs if not product_keyed(spec)]
        if other:
            return (
                f"--by-ids does not apply to {other[0]}: it is not keyed by product; use it with products, prices, "
                "variants, inventoryStockStatus or productOverrides"
            )
        if (id_type or "sku") not in ("sku", "productId"):
            return f"--id-type {id_type} is unknown: give sku or productId"
        try:
            parse_ids(by_ids, id_type or "sku")
        except BadIdList as exc:
            return str(exc)
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
