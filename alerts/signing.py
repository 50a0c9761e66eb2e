"""The webhook signature (pure: no Django).

``Ertrag-Signature: t=<unix seconds>,v1=<hex>``, where the hex is HMAC-SHA256 of
``"<t>." + body`` under the channel's secret. The time is signed with the body so a
receiver can refuse a replayed old delivery; the scheme is the one Stripe documents for
its webhooks, so receivers written for it need only the header's name changed.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

HEADER = "Ertrag-Signature"
SECRET_PREFIX = "whsec_"  # noqa: S105 - a prefix, not a secret
#: How far a receiver should let the signed time be from its clock (``signature_valid``).
TOLERANCE_SECONDS = 300


def signing_secret_new() -> str:
    """A new webhook secret: 32 random bytes, URL-safe, recognisable by its prefix."""
    return SECRET_PREFIX + secrets.token_urlsafe(32)


def signature_of(*, secret: str, timestamp: int, body: bytes) -> str:
    """The hex HMAC-SHA256 of ``"<timestamp>." + body`` under ``secret``."""
    signed = str(timestamp).encode() + b"." + body
    return hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest()


def signature_header(*, secret: str, timestamp: int, body: bytes) -> str:
    return f"t={timestamp},v1={signature_of(secret=secret, timestamp=timestamp, body=body)}"


def signature_valid(
    *, header: str, secret: str, body: bytes, now: int, tolerance: int = TOLERANCE_SECONDS
) -> bool:
    """What a receiver checks: a well-formed header, a time within ``tolerance`` of
    ``now`` and a matching signature, compared in constant time."""
    parts: dict[str, str] = {}
    for part in header.split(",")[:8]:
        name, _sep, value = part.strip().partition("=")
        parts.setdefault(name, value)
    stamp, given = parts.get("t", ""), parts.get("v1", "")
    if not stamp.isdigit() or len(stamp) > 12 or abs(now - int(stamp)) > tolerance:
        return False
    expected = signature_of(secret=secret, timestamp=int(stamp), body=body)
    return hmac.compare_digest(expected, given)
