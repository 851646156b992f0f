"""A software WebAuthn authenticator for tests: real keys, real signatures.

It answers the options MASIP gives out as a browser and a security key would:
an ES256 (P-256) key pair made with ``cryptography``, a "none" attestation,
authenticatorData laid out byte for byte as the WebAuthn specification says,
and clientDataJSON naming the challenge and the origin. Nothing in py_webauthn
is mocked: the server checks these answers exactly as it checks a real key's.

Knobs let a test misbehave on purpose: another origin (a phishing site), no
user verification, a signature counter that goes backwards.
"""

import base64
import hashlib
import json
import os
import struct

import cbor2
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec

UP, UV, BE, AT = 0x01, 0x04, 0x08, 0x40
ES256 = -7
TEST_AAGUID = bytes.fromhex("6d61736970000000000000000000aa01")


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def unb64url(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


class SoftwareAuthenticator:
    def __init__(
        self,
        *,
        origin: str = "http://testserver",
        user_verified: bool = True,
        backup_eligible: bool = False,
    ) -> None:
        self.origin = origin
        self.user_verified = user_verified
        self.backup_eligible = backup_eligible
        self.private_key = ec.generate_private_key(ec.SECP256R1())
        self.credential_id = os.urandom(32)
        self.sign_count = 0

    @property
    def id(self) -> str:
        return b64url(self.credential_id)

    def cose_public_key(self) -> bytes:
        numbers = self.private_key.public_key().public_numbers()
        return cbor2.dumps(
            {
                1: 2,  # kty: EC2
                3: ES256,  # alg
                -1: 1,  # crv: P-256
                -2: numbers.x.to_bytes(32, "big"),
                -3: numbers.y.to_bytes(32, "big"),
            }
        )

    def _flags(self, *, attested: bool) -> int:
        flags = UP
        if self.user_verified:
            flags |= UV
        if self.backup_eligible:
            flags |= BE
        if attested:
            flags |= AT
        return flags

    def _auth_data(self, rp_id: str, *, attested: bool) -> bytes:
        data = hashlib.sha256(rp_id.encode()).digest()
        data += bytes([self._flags(attested=attested)])
        data += struct.pack(">I", self.sign_count)
        if attested:
            data += TEST_AAGUID
            data += struct.pack(">H", len(self.credential_id)) + self.credential_id
            data += self.cose_public_key()
        return data

    def _client_data(self, kind: str, challenge: str) -> bytes:
        return json.dumps(
            {
                "type": kind,
                "challenge": challenge,
                "origin": self.origin,
                "crossOrigin": False,
            }
        ).encode()

    def register(self, options_json: str | bytes) -> str:
        """The JSON answer to ``navigator.credentials.create(options)``."""
        options = json.loads(options_json)
        client_data = self._client_data("webauthn.create", options["challenge"])
        attestation = cbor2.dumps(
            {
                "fmt": "none",
                "attStmt": {},
                "authData": self._auth_data(options["rp"]["id"], attested=True),
            }
        )
        return json.dumps(
            {
                "id": self.id,
                "rawId": self.id,
                "type": "public-key",
                "response": {
                    "clientDataJSON": b64url(client_data),
                    "attestationObject": b64url(attestation),
                    "transports": ["usb"],
                },
                "clientExtensionResults": {},
            }
        )

    def authenticate(
        self, options_json: str | bytes, *, sign_count: int | None = None
    ) -> str:
        """The JSON answer to ``navigator.credentials.get(options)``.

        The counter goes up by one, unless ``sign_count`` sets it.
        """
        options = json.loads(options_json)
        self.sign_count = self.sign_count + 1 if sign_count is None else sign_count
        auth_data = self._auth_data(options["rpId"], attested=False)
        client_data = self._client_data("webauthn.get", options["challenge"])
        signed = auth_data + hashlib.sha256(client_data).digest()
        signature = self.private_key.sign(signed, ec.ECDSA(hashes.SHA256()))
        return json.dumps(
            {
                "id": self.id,
                "rawId": self.id,
                "type": "public-key",
                "response": {
                    "clientDataJSON": b64url(client_data),
                    "authenticatorData": b64url(auth_data),
                    "signature": b64url(signature),
                    "userHandle": None,
                },
                "clientExtensionResults": {},
            }
        )
