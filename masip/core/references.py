"""Public references for records: random, unambiguous and not sequential."""

import secrets

# Crockford-style alphabet without I, L, O and U: easy to read out on a phone.
ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"


def random_reference(prefix: str, length: int = 8) -> str:
    """A reference such as ``STK-7K3M-9QXR``: 40 bits of randomness."""
    body = "".join(secrets.choice(ALPHABET) for _ in range(length))
    return f"{prefix}-{body[:4]}-{body[4:]}"
