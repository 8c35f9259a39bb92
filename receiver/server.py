"""Serving the receiver with uvicorn on an address it checked and bound itself.

The socket is bound (and listening) before anything is announced, so the announced URL carries
the real port, also when port 0 asked the system for a free one, and a client that connects
right after the announcement is queued rather than refused.
"""

from __future__ import annotations

import gc
import ipaddress
import socket
from collections.abc import Callable
from contextlib import suppress

import uvicorn

from receiver.app import create_app
from receiver.configuration import ReceiverConfig
from receiver.exceptions import ReceiverError

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8088


def is_loopback(host: str) -> bool:
    """Whether ``host`` reaches this machine only; a name counts when all its addresses do."""
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        pass
    try:
        infos = socket.getaddrinfo(host, None, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError):
        return False
    return bool(infos) and all(ipaddress.ip_address(str(info[4][0]).split("%")[0]).is_loopback for info in infos)


def bind(host: str, port: int) -> socket.socket:
    """A listening TCP socket on ``host:port``."""
    try:
        family, kind, proto, _name, address = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0]
        sock = socket.socket(family, kind, proto)
    except (OSError, UnicodeError) as exc:
        raise ReceiverError(f"cannot listen on {host}:{port}: {exc}") from exc
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(address)
        sock.listen(128)
    except OSError as exc:
        sock.close()
        raise ReceiverError(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from exc
    return sock


class ReceiverServer:
    """A receiver bound to its address, ready to ``run`` (blocking) until ``stop`` or Ctrl-C.

    Refuses a non-loopback address without an API key: whoever reaches the port could otherwise
    write and read feed data.
    """

    def __init__(self, config: ReceiverConfig, host: str = DEFAULT_HOST, port: int = DEFAULT_PORT) -> None:
        if config.api_key is None and not is_loopback(host):
            raise ReceiverError(
                f"refusing to listen on {host} without an API key: it is not a loopback address. "
                f"Give the receiver a key or listen on {DEFAULT_HOST}"
            )
        self._socket = bind(host, port)
        try:
            app = create_app(config)
        except BaseException:
            self._socket.close()
            raise
        shown = f"[{host}]" if ":" in host else host
        self.url = f"http://{shown}:{self._socket.getsockname()[1]}"
        self._server = uvicorn.Server(uvicorn.Config(app, log_level="warning", access_log=False, lifespan="on"))

    @property
    def started(self) -> bool:
        return bool(self._server.started)

    def run(self) -> None:
        """Serve until stopped; in the main thread uvicorn turns SIGINT and SIGTERM into a clean stop."""
        try:
            self._server.run(sockets=[self._socket])
        finally:
            self._socket.close()

    def stop(self) -> None:
        """Ask a running server (in another thread) to finish its requests and return from ``run``."""
        self._server.should_exit = True


def serve(
    config: ReceiverConfig,
    host: str = DEFAULT_HOST,
    port: int = DEFAULT_PORT,
    *,
    announce: Callable[[str], None] | None = None,
) -> None:
    """Serve until Ctrl-C; ``announce`` gets the URL once the port is bound."""
    server = ReceiverServer(config, host, port)
    # Everything loaded so far lives as long as the process: out of the collector's sight, each
    # full collection no longer walks it, which made parsing a batch four times slower
    # (docs/benchmarks.md, "HTTP delivery").
    gc.freeze()
    if announce is not None:
        announce(server.url)
    with suppress(KeyboardInterrupt):  # uvicorn re-raises the SIGINT it handled: a stop, not an error
        server.run()
