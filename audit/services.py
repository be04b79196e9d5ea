"""Writing the security log, checking its chain and purging what is past its keeping. Every door that
records an event calls `security_event_record`; nothing else writes the table."""

from __future__ import annotations

import ipaddress
from datetime import datetime, timedelta

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from accounts.client import client_ip
from common.errors import PortalError

from .chain import entry_hash
from .models import ChainHead, Kind, Outcome, SecurityEvent

# The Cybersecurity Law (§21) asks for six months; the database function audit_purge (migration 0002)
# refuses anything younger whatever the setting says.
MIN_RETENTION_DAYS = 180


def security_event_record(
    *,
    kind: str,
    request=None,
    user=None,
    username: str = "",
    object: str = "",
    outcome: str = Outcome.SUCCESS,
    detail: str = "",
) -> SecurityEvent:
    """One entry: who (the request's user unless `user`/`username` say otherwise; nobody = 系统), from
    which address, what, to what, with which outcome. Chained to the entry before it under the chain
    head's row lock, which orders concurrent writers; inside a caller's transaction it lands or rolls
    back with it."""
    if user is None and request is not None and getattr(request, "user", None) is not None:
        user = request.user if request.user.is_authenticated else None
    with transaction.atomic():
        head = _locked_head()
        entry = SecurityEvent(
            seq=head.seq + 1,
            at=timezone.now(),  # under the lock: times follow the chain's order
            user_id=user.pk if user is not None else None,
            username=(user.get_username() if user is not None else username)[:150],
            source_ip=_address(request),
            kind=kind,
            object=object[:300],
            outcome=outcome,
            detail=detail,
            prev_hash=head.hash,
        )
        entry.hash = entry_hash(entry)
        entry.save(force_insert=True)
        ChainHead.objects.filter(pk=head.pk).update(seq=entry.seq, hash=entry.hash)
    if request is not None:
        request.security_event_recorded = True  # audit.middleware: the door said what it was
    return entry


def _locked_head() -> ChainHead:
    head = ChainHead.objects.select_for_update().filter(pk=1).first()
    if head is None:  # the first entry ever (or a test flushed the table): made once, then locked
        ChainHead.objects.bulk_create([ChainHead(pk=1)], ignore_conflicts=True)
        head = ChainHead.objects.select_for_update().get(pk=1)
    return head


def _address(request) -> str | None:
    if request is None:
        return None
    address = client_ip(request)
    try:
        return str(ipaddress.ip_address(address)) if address else None
    except ValueError:
        return None


def audit_chain_verify() -> list[str]:
    """Every break of the chain, in Chinese, in order; empty when the log is whole. Finds an entry
    edited (its hash no longer fits its fields), deleted (a gap in the numbers, and the next entry no
    longer points at the one before it; the last entry: the chain head names it), and inserted (it does
    not point at its predecessor, or comes after the head)."""
    head = ChainHead.objects.filter(pk=1).first() or ChainHead()
    expected_seq, expected_prev = head.purged_through_seq + 1, head.purged_through_hash
    problems: list[str] = []
    for entry in SecurityEvent.objects.order_by("seq").iterator(chunk_size=2000):
        if entry.seq > expected_seq:
            problems.append(f"第{expected_seq}至{entry.seq - 1}条记录缺失(被删除)。")
        if entry.prev_hash != expected_prev:
            problems.append(f"第{entry.seq}条记录与前一条记录不相连(前一条被删除或修改,或此条是插入的)。")
        if entry_hash(entry) != entry.hash:
            problems.append(f"第{entry.seq}条记录的内容与其哈希不符(被修改)。")
        expected_seq, expected_prev = entry.seq + 1, entry.hash
    if head.seq > expected_seq - 1:
        problems.append(f"第{expected_seq}至{head.seq}条记录缺失(链尾被删除)。")
    elif head.seq < expected_seq - 1 or head.hash != expected_prev:
        problems.append(f"第{head.seq + 1}条之后的记录不在链上(被插入),或链尾记录被修改。")
    return problems


def audit_log_purge(*, before: datetime, request=None) -> int:
    """Delete the entries older than `before`, which must be at least MIN_RETENTION_DAYS ago. On
    PostgreSQL through the database's own audit_purge(), the one path its trigger lets delete; the
    chain then starts after the last purged entry (ChainHead.purged_through_*)."""
    floor = timezone.now() - timedelta(days=MIN_RETENTION_DAYS)
    if before > floor:
        raise PortalError(
            f"安全审计日志至少保存{MIN_RETENTION_DAYS}天,不能清理此前{MIN_RETENTION_DAYS}天内的记录。"
        )
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT audit_purge(%s)", [before])
            purged = cursor.fetchone()[0]
    else:
        purged = _purge_in_python(before)
    if purged:
        security_event_record(
            kind=Kind.AUDIT_PURGED,
            request=request,
            object=f"{timezone.localtime(before):%Y-%m-%d %H:%M}之前",
            detail=f"删除{purged}条超过保存期限的记录。",
        )
    return purged


def _purge_in_python(before: datetime) -> int:
    """SQLite (the quick start) has no database function: the same steps, under the head's lock."""
    with transaction.atomic():
        head = _locked_head()
        first_kept = SecurityEvent.objects.filter(at__gte=before).order_by("seq").first()
        older = SecurityEvent.objects.filter(seq__lt=first_kept.seq) if first_kept else SecurityEvent.objects
        last = older.order_by("-seq").first()
        if last is None:
            return 0
        purged, _ = SecurityEvent.objects.filter(seq__lte=last.seq).delete()
        ChainHead.objects.filter(pk=head.pk).update(
            purged_through_seq=last.seq, purged_through_hash=last.hash
        )
    return purged


def audit_retention_purge(*, now: datetime | None = None) -> int:
    """The daily purge: whole days older than settings.AUDIT_RETENTION_DAYS (at least 180), counted
    from midnight in Asia/Shanghai, so the cutoff is hours clear of the database's own 180-day floor
    whatever the two machines' clocks differ by."""
    midnight = timezone.localtime(now or timezone.now()).replace(hour=0, minute=0, second=0, microsecond=0)
    return audit_log_purge(before=midnight - timedelta(days=settings.AUDIT_RETENTION_DAYS))
