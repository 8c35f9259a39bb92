"""``saas-export receiver`` as an operator runs it: a subprocess with its options and key variable."""

from __future__ import annotations

import re
import socket
import subprocess
from pathlib import Path

from tests.support.cli import saas_export
from tests.support.paths import REPO
from tests.support.receiver import Receiver, ReceiverClient, website_item

KEY = "s3cret-receiver-key"


def receiver_command(cwd: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    """``saas-export receiver *args`` that is expected to exit by itself."""
    return saas_export(cwd, "receiver", *args, PYTHONPATH=str(REPO), **env)


def test_it_refuses_a_public_address_without_a_key(tmp_path: Path) -> None:
    # When the receiver is asked to listen on every interface with no key in its variable
    result = receiver_command(tmp_path, "--host", "0.0.0.0")
    # Then it refuses in one line, naming the variable, and listens nowhere
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr == (
        "error: refusing to listen on 0.0.0.0 without an API key: it is not a loopback address. "
        "Set SAAS_EXPORT_RECEIVER_API_KEY to a key, or use --host 127.0.0.1\n"
    )
    assert not (tmp_path / "var").exists()


def test_a_named_key_variable_that_is_unset_is_a_usage_error(tmp_path: Path) -> None:
    result = receiver_command(tmp_path, "--api-key-env", "MY_RECEIVER_KEY")
    assert result.returncode == 2
    assert result.stderr == (
        "error: MY_RECEIVER_KEY is not set: --api-key-env names the variable holding the receiver's API key\n"
    )


def test_a_public_key_that_is_not_a_key_is_one_line(tmp_path: Path) -> None:
    (tmp_path / "key.pem").write_text("not a key\n")
    result = receiver_command(tmp_path, "--public-key", "key.pem")
    assert result.returncode == 2
    assert result.stderr.startswith("error: the public key is not a PEM-encoded public key: ")
    assert result.stderr.count("\n") == 1


def test_a_port_in_use_is_one_line(tmp_path: Path) -> None:
    # Given a port another program listens on
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        # When the receiver is asked to listen there
        result = receiver_command(tmp_path, "--port", str(port))
    # Then it says so in one line
    assert result.returncode == 2
    assert result.stderr == f"error: cannot listen on 127.0.0.1:{port}: Address already in use\n"


def test_it_serves_with_the_key_of_its_variable_until_ctrl_c(tmp_path: Path) -> None:
    # Given the receiver started with a key in its variable
    receiver = Receiver(tmp_path, api_key=KEY).start()
    try:
        # When a batch is sent with the key, and a GET is tried without it
        with receiver.client() as client:
            stored = client.post("scopesWebsite", [website_item("base")])
            held = client.items("scopesWebsite")
        with ReceiverClient(receiver.url) as stranger:
            refused = stranger.http.get("/feeds/scopesWebsite/v1/default")
    finally:
        exit_code = receiver.stop()
    # Then it stored the batch, refused the stranger, printed one line without the key, and stopped cleanly
    assert (stored.status_code, held) == (200, [website_item("base")])
    assert refused.status_code == 401
    assert re.fullmatch(r"http://127\.0\.0\.1:\d+", receiver.url)
    assert receiver.log_text() == f"receiver listening on {receiver.url} (db sqlite:///{tmp_path}/receiver.sqlite)\n"
    assert exit_code == 0


def test_its_options_reach_the_receiver(tmp_path: Path) -> None:
    # Given the receiver started with a batch limit of 2
    with Receiver(tmp_path, options=["--max-items", "2"]) as receiver, receiver.client() as client:
        # When 3 items come in one batch
        answer = client.post("scopesWebsite", [website_item(f"w{n}", n) for n in range(3)])
    # Then it is refused as too large
    assert (answer.status_code, answer.json()) == (413, {"message": "3 items in one batch; at most 2"})


def test_a_database_it_cannot_open_is_one_line_without_its_password(tmp_path: Path) -> None:
    result = receiver_command(tmp_path, "--db", "postgresql://shop:s3cret@127.0.0.1:1/receiver")
    assert result.returncode == 2
    assert result.stderr.startswith(
        "error: cannot open the receiver database postgresql://shop:***@127.0.0.1:1/receiver: "
    )
    assert result.stderr.count("\n") == 1
    assert "s3cret" not in result.stdout + result.stderr
