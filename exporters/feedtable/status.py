"""Feed row statuses, with the original exporter's codes (CDE ``DataExporter/Status``)."""

from __future__ import annotations

from enum import IntEnum


class Status(IntEnum):
    NEVER_SENT = 0
    ACCEPTED = 200
    REJECTED = 400
    ITEM_REJECTED = 1
    RETRYABLE = 2

    @property
    def needs_resend(self) -> bool:
        """Whether an unchanged item with this status is sent again (``isSendNeeded``)."""
        return self in (Status.NEVER_SENT, Status.RETRYABLE)


#: The statuses whose unchanged items are sent again.
RESEND_STATUSES = frozenset(int(s) for s in Status if s.needs_resend)
