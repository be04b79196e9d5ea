"""The hash chain of the security log. Each entry's hash is an HMAC-SHA256 over its own fields and the
previous entry's hash, keyed by AUDIT_CHAIN_KEY (by default derived from SECRET_KEY), which is not in
the database: someone who can write the table but not read the portal's settings cannot forge a chain
that verifies after an edit."""

from __future__ import annotations

import hashlib
import hmac
import json
from datetime import UTC, datetime

from django.conf import settings


def chain_key() -> bytes:
    secret = settings.AUDIT_CHAIN_KEY or settings.SECRET_KEY
    return hashlib.sha256(b"qianjiang-hrss.audit-chain:" + secret.encode()).digest()


def _instant(at: datetime) -> str:
    """The time as stored (microseconds, UTC), the same text whichever time zone reads it back."""
    return at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def entry_hash(entry) -> str:
    fields = [
        entry.seq,
        _instant(entry.at),
        entry.user_id,
        entry.username,
        entry.source_ip,
        entry.kind,
        entry.object,
        entry.outcome,
        entry.detail,
        entry.prev_hash,
    ]
    message = json.dumps(fields, ensure_ascii=False, separators=(",", ":")).encode()
    return hmac.new(chain_key(), message, hashlib.sha256).hexdigest()
