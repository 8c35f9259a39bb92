"""A local stand-in for Commerce Services: receives feed batches as docs/protocol.md says, keeps them,
and plays faults on demand (docs/receiver.md). ``saas-export receiver`` serves it."""

from receiver.app import create_app
from receiver.configuration import ReceiverConfig
from receiver.exceptions import ReceiverError
from receiver.server import ReceiverServer, serve

__all__ = ["ReceiverConfig", "ReceiverError", "ReceiverServer", "create_app", "serve"]
