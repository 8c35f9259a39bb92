"""Who may talk to the receiver: the API key on every route, the gateway signature on POSTs.

Both checks answer 401 before anything is read or stored, so a refused sender leaves no trace
in the data a test looks at.
"""

from __future__ import annotations

import hmac
from collections.abc import Mapping

import jwt
from cryptography.hazmat.primitives.asymmetric.rsa import RSAPublicKey
from cryptography.hazmat.primitives.serialization import load_pem_public_key

from receiver.exceptions import ReceiverError, Refused

AUDIENCE = "commerce-services"
ISSUER = "saas-export"
#: Every claim docs/protocol.md puts in ``x-gw-signature``; a token without one is refused.
REQUIRED_CLAIMS = ["iss", "sub", "aud", "iat", "exp"]


def load_public_key(pem: str) -> RSAPublicKey:
    """Parse the key once at start, so a bad file stops the receiver instead of refusing every POST."""
    try:
        key = load_pem_public_key(pem.encode("utf-8"))
    except ValueError as exc:
        raise ReceiverError(f"the public key is not a PEM-encoded public key: {exc}") from exc
    if not isinstance(key, RSAPublicKey):
        raise ReceiverError("the public key is not an RSA key: RS256 signatures need one")
    return key


class Gate:
    """The receiver's checks of a request's credentials."""

    def __init__(self, api_key: str | None, public_key: str | None) -> None:
        self._api_key = api_key.encode("utf-8") if api_key is not None else None
        self._public_key = load_public_key(public_key) if public_key is not None else None

    def check_key(self, headers: Mapping[str, str]) -> None:
        """401 unless the configured key is sent; compared in constant time, never echoed."""
        if self._api_key is None:
            return
        sent = headers.get("x-api-key")
        if sent is None:
            raise Refused(401, "missing x-api-key header")
        if not hmac.compare_digest(sent.encode("utf-8"), self._api_key):
            raise Refused(401, "the x-api-key is not accepted")

    def check_signature(self, headers: Mapping[str, str], data_space: str) -> None:
        """401 unless ``x-gw-signature`` is a current RS256 token of our key for this data space."""
        if self._public_key is None:
            return
        token = headers.get("x-gw-signature")
        if token is None:
            raise Refused(401, "missing x-gw-signature header")
        try:
            claims = jwt.decode(
                token,
                self._public_key,
                algorithms=["RS256"],
                audience=AUDIENCE,
                issuer=ISSUER,
                options={"require": REQUIRED_CLAIMS},
            )
        except jwt.InvalidTokenError as exc:
            raise Refused(401, f"x-gw-signature refused: {exc}") from exc
        if claims["sub"] != data_space:
            raise Refused(401, f"x-gw-signature refused: it is for data space '{claims['sub']}', not '{data_space}'")
