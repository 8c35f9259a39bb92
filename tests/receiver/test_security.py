"""The API key and the gateway signature: a refused request is 401 and leaves nothing behind."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.asymmetric.rsa import RSAPrivateKey

from receiver import ReceiverConfig, ReceiverError, create_app
from tests.support.receiver import ReceiverClient, StartReceiver, website_item

KEY = "k-3f9a"


@pytest.fixture(scope="module")
def signing_key() -> RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def public_pem(private: RSAPrivateKey) -> str:
    return (
        private.public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode()
    )


def signature(private: RSAPrivateKey, **claims: Any) -> str:
    """A token as the HTTP target signs it (docs/protocol.md), with ``claims`` changed."""
    now = int(time.time())
    payload = {"iss": "saas-export", "sub": "default", "aud": "commerce-services", "iat": now, "exp": now + 300}
    return jwt.encode({**payload, **claims}, private, algorithm="RS256")


@pytest.mark.parametrize(
    ("headers", "message"),
    [({}, "missing x-api-key header"), ({"x-api-key": "k-3f9b"}, "the x-api-key is not accepted")],
)
def test_a_missing_or_wrong_key_is_401_and_stores_nothing(
    start_receiver: StartReceiver, headers: dict[str, str], message: str
) -> None:
    # Given a receiver with a key
    receiver = start_receiver(api_key=KEY)
    # When a batch comes without the key, or with another one
    with ReceiverClient(receiver.url) as stranger:
        answer = stranger.post("scopesWebsite", [website_item("base")], headers=headers)
    # Then it is refused without echoing any key, and nothing is stored or counted
    assert (answer.status_code, answer.json()) == (401, {"message": message})
    assert receiver.items("scopesWebsite") == []
    assert receiver.receipts("scopesWebsite") == {"receipts": {}, "requests": 0}


def test_the_right_key_is_let_in(start_receiver: StartReceiver) -> None:
    receiver = start_receiver(api_key=KEY)
    assert receiver.post("scopesWebsite", [website_item("base")]).json() == {"invalidFeedItems": []}
    assert receiver.items("scopesWebsite") == [website_item("base")]


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "/feeds/scopesWebsite/v1/default"),
        ("GET", "/receipts/scopesWebsite/v1/default"),
        ("GET", "/data-spaces/default"),
        ("DELETE", "/data-spaces/default"),
    ],
)
def test_reading_and_deleting_need_the_key_too(start_receiver: StartReceiver, method: str, path: str) -> None:
    # Given a receiver with a key holding an item
    receiver = start_receiver(api_key=KEY)
    receiver.post("scopesWebsite", [website_item("base")])
    # When another route is called without the key
    with ReceiverClient(receiver.url) as stranger:
        answer = stranger.http.request(method, path)
        health = stranger.http.get("/health")
    # Then it is refused (the item is still there), while /health stays open
    assert (answer.status_code, answer.json()) == (401, {"message": "missing x-api-key header"})
    assert receiver.items("scopesWebsite") == [website_item("base")]
    assert (health.status_code, health.json()) == (200, {"status": "ok"})


def test_a_valid_signature_is_let_in(start_receiver: StartReceiver, signing_key: RSAPrivateKey) -> None:
    # Given a receiver checking signatures against our public key
    receiver = start_receiver(public_key=public_pem(signing_key))
    # When a batch carries a current token of ours for its data space
    answer = receiver.post("scopesWebsite", [website_item("base")], headers={"x-gw-signature": signature(signing_key)})
    # Then it is stored
    assert (answer.status_code, answer.json()) == (200, {"invalidFeedItems": []})
    assert receiver.items("scopesWebsite") == [website_item("base")]


@pytest.mark.parametrize(
    ("claims", "message"),
    [
        (
            {"iat": int(time.time()) - 900, "exp": int(time.time()) - 600},
            "x-gw-signature refused: Signature has expired",
        ),
        ({"aud": "someone-else"}, "x-gw-signature refused: Audience doesn't match"),
        ({"iss": "someone-else"}, "x-gw-signature refused: Invalid issuer"),
        ({"sub": "other-space"}, "x-gw-signature refused: it is for data space 'other-space', not 'default'"),
    ],
)
def test_a_token_that_does_not_fit_is_401(
    start_receiver: StartReceiver, signing_key: RSAPrivateKey, claims: dict[str, Any], message: str
) -> None:
    receiver = start_receiver(public_key=public_pem(signing_key))
    answer = receiver.post(
        "scopesWebsite", [website_item("base")], headers={"x-gw-signature": signature(signing_key, **claims)}
    )
    assert (answer.status_code, answer.json()) == (401, {"message": message})
    assert receiver.receipts("scopesWebsite") == {"receipts": {}, "requests": 0}


def test_a_token_of_another_key_or_none_is_401(start_receiver: StartReceiver, signing_key: RSAPrivateKey) -> None:
    # Given a receiver checking signatures against our public key
    receiver = start_receiver(public_key=public_pem(signing_key))
    other_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    # When a batch comes signed by another key, with no token, or with a token that is not a JWT
    answers = [
        receiver.post("scopesWebsite", [website_item("base")], headers=headers)
        for headers in ({"x-gw-signature": signature(other_key)}, {}, {"x-gw-signature": "not-a-token"})
    ]
    # Then each is refused and nothing is stored
    assert [(a.status_code, a.json()) for a in answers] == [
        (401, {"message": "x-gw-signature refused: Signature verification failed"}),
        (401, {"message": "missing x-gw-signature header"}),
        (401, {"message": "x-gw-signature refused: Not enough segments"}),
    ]
    assert receiver.receipts("scopesWebsite") == {"receipts": {}, "requests": 0}


def test_a_token_without_an_expiry_is_401(start_receiver: StartReceiver, signing_key: RSAPrivateKey) -> None:
    receiver = start_receiver(public_key=public_pem(signing_key))
    now = int(time.time())
    token = jwt.encode(
        {"iss": "saas-export", "sub": "default", "aud": "commerce-services", "iat": now}, signing_key, algorithm="RS256"
    )
    answer = receiver.post("scopesWebsite", [website_item("base")], headers={"x-gw-signature": token})
    assert (answer.status_code, answer.json()) == (
        401,
        {"message": 'x-gw-signature refused: Token is missing the "exp" claim'},
    )


def test_a_public_key_that_is_not_pem_stops_the_receiver(tmp_path: Path) -> None:
    config = ReceiverConfig(db_url=f"sqlite:///{tmp_path / 'r.sqlite'}", public_key="not a key")
    with pytest.raises(ReceiverError, match=r"^the public key is not a PEM-encoded public key: "):
        create_app(config)


def test_the_key_is_not_in_the_configuration_repr() -> None:
    assert KEY not in repr(ReceiverConfig(api_key=KEY))
