"""Writes of the notices: reminders (beat's schedule and the bureau's 一键催报), the notices that follow a
township report through review, and each delivery's outcome. Exactly once is the database's (the unique
constraints on Notice): a second insert of the same reminder waits for the first and finds it taken.
Whether a township still owes is asked when the reminder is written and again when each email is sent."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime

from celery import current_app
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone

from accounts.models import User
from accounts.permissions import can_write_figures, is_bureau
from common.errors import PermissionDeniedError, PortalError
from orgs.models import OrgUnit, OrgUnitClosure
from reporting.models import Submission
from reporting.selectors import townships_owing

from . import texts
from .channels import NoticeChannel, active_channels, channel
from .models import Delivery, Notice
from .schedule import reminder_points

log = logging.getLogger(__name__)


def _township_users(township: OrgUnit) -> list[User]:
    return list(
        User.objects.filter(role=User.Role.TOWNSHIP, org_unit=township, is_active=True).order_by("pk")
    )


DELIVER_TASK = "notices.tasks.deliver"  # notices/tasks.py registers it under this name


def _bureau_users(township: OrgUnit) -> list[User]:
    """The bureau staff over the township: those of its county, its prefecture, the province (the
    city's in Qianjiang's portal)."""
    over = OrgUnitClosure.objects.filter(descendant=township).values("ancestor_id")
    bureau = User.objects.filter(role=User.Role.BUREAU, is_active=True)
    # Without a unit: the portal's own bureau (accounts.permissions), over every township.
    return list(bureau.filter(Q(org_unit__in=over) | Q(org_unit__isnull=True)).order_by("pk"))


def _owes(township: OrgUnit, year: int, month: int) -> bool:
    return bool(townships_owing(year=year, month=month, townships=[township]))


def _queue(delivery_ids: list[int]) -> None:
    """After commit: one task per delivery that is not delivered by being written. robust: a broker that
    does not answer leaves the delivery 待发送 (and logged), never undoes what was committed."""
    for delivery_id in delivery_ids:
        transaction.on_commit(lambda pk=delivery_id: _deliver_task().delay(pk), robust=True)


def _deliver_task():
    # By its registered name: notices/tasks.py imports this module, not the other way round.
    return current_app.tasks[DELIVER_TASK]


def _notice_create(
    *, recipients: list[User], channels: list[NoticeChannel] | None = None, **fields
) -> Notice | None:
    """The notice and one delivery per person and channel, inside the caller's transaction; None when the
    same reminder (or event) is already there: the unique constraint decides, also between two workers."""
    try:
        with transaction.atomic():
            notice = Notice.objects.create(**fields)
    except IntegrityError:
        key = {
            k: fields[k] for k in ("township", "kind", "year", "month", "date", "submission") if k in fields
        }
        if Notice.objects.filter(**key).exists():
            return None
        raise
    now = notice.created_at
    rows = []
    for ch in channels or active_channels():
        for person in recipients:
            address = ch.address(person)
            if address is None:
                continue
            rows.append(
                Delivery(
                    notice=notice,
                    recipient=person,
                    channel=ch.code,
                    address=address,
                    status=Delivery.Status.SENT if ch.immediate else Delivery.Status.PENDING,
                    sent_at=now if ch.immediate else None,
                )
            )
    Delivery.objects.bulk_create(rows)
    _queue([d.pk for d in rows if d.status == Delivery.Status.PENDING])
    return notice


def _reminder(
    *, township: OrgUnit, kind: str, year: int, month: int, now: datetime, user=None, note: str = "",
    channels: list[NoticeChannel] | None = None,
) -> Notice | None:  # fmt: skip
    """One township's reminder, in a transaction of its own, if it still owes the month."""
    with transaction.atomic():
        if not _owes(township, year, month):
            return None
        title, body = texts.reminder(
            kind=kind, township=township, year=year, month=month, today=timezone.localdate(now), note=note
        )
        return _notice_create(
            recipients=_township_users(township),
            channels=channels,
            kind=kind,
            township=township,
            year=year,
            month=month,
            date=timezone.localdate(now),
            title=title,
            body=body,
            note=note,
            created_by=user,
            created_at=now,
        )


def reminders_send_due(
    *,
    now: datetime | None = None,
    channels: list[NoticeChannel] | None = None,
    only: tuple[int, int] | None = None,
) -> list[Notice]:
    """Beat, once a day (settings.REMINDER_SCHEDULE): today's reminders to every township with no
    confirmed report for the month due. Safe to run twice, or on two workers at once: each township gets
    each day's reminder once."""
    now = now or timezone.now()
    sent = []
    for point in reminder_points(timezone.localdate(now)):
        if only and (point.year, point.month) != only:
            continue
        for township in townships_owing(year=point.year, month=point.month):
            notice = _reminder(
                township=township,
                kind=point.kind,
                year=point.year,
                month=point.month,
                now=now,
                channels=channels,
            )
            if notice is not None:
                sent.append(notice)
    log.info("reminders sent: %d (%s)", len(sent), sorted({f"{n.kind} {n.year}-{n.month}" for n in sent}))
    return sent


@dataclass
class ManualResult:
    sent: list[OrgUnit] = field(default_factory=list)
    already: list[OrgUnit] = field(default_factory=list)  # reminded by hand earlier today
    reported: list[OrgUnit] = field(default_factory=list)  # reported meanwhile: nothing sent

    @property
    def message(self) -> str:
        return texts.manual_result(self)


def reminders_send_manual(
    *, user, townships: list[OrgUnit], year: int, month: int, note: str = ""
) -> ManualResult:
    """一键催报: bureau staff remind the townships they selected on the status page. A township that has
    reported in the meantime gets nothing; one reminded by hand earlier today is not reminded twice."""
    if not is_bureau(user):
        raise PermissionDeniedError("只有局业务科室可以催报。")
    if not townships:
        raise PortalError("请至少选择一个区镇街道。", field="townships")
    outside = [t.name for t in townships if not can_write_figures(user, t.pk)]
    if outside:
        raise PermissionDeniedError(f"{'、'.join(outside)}不在您所属单位的辖区内,不能催报。")
    note = note.strip()
    if len(note) > 500:
        raise PortalError("催报附言不能超过500字。", field="note")
    result, now = ManualResult(), timezone.now()
    for township in sorted(townships, key=lambda t: t.sort_order):
        if not _owes(township, year, month):
            result.reported.append(township)
            continue
        notice = _reminder(
            township=township, kind=Notice.Kind.MANUAL, year=year, month=month, now=now, user=user, note=note
        )
        (result.sent if notice else result.already).append(township)
    return result


def submission_event_notify(*, submission_id: int, event: str) -> Notice | None:
    """After a report's confirm / return / approve has committed (reporting.services.workflow, on_commit): the
    township is told of a return (with the reason) and an approval; the bureau of a report that arrived
    or was resubmitted after a return (not of one its own staff sent on a township's behalf)."""
    submission = Submission.objects.select_related("township", "created_by").get(pk=submission_id)
    kind = _event_kind(submission, event)
    if kind is None:
        return None
    to_township = kind in (Notice.Kind.RETURNED, Notice.Kind.APPROVED)
    title, body = texts.event(kind=kind, submission=submission)
    now = timezone.now()
    with transaction.atomic():
        return _notice_create(
            recipients=_township_users(submission.township)
            if to_township
            else _bureau_users(submission.township),
            kind=kind,
            township=submission.township,
            year=submission.year,
            month=submission.month,
            date=timezone.localdate(now),
            submission=submission,
            title=title,
            body=body,
            created_at=now,
        )


def _event_kind(submission: Submission, event: str) -> str | None:
    if event == "returned":
        return Notice.Kind.RETURNED
    if event == "approved":
        return Notice.Kind.APPROVED
    if event != "confirmed" or is_bureau(submission.created_by):
        return None
    earlier = (
        Submission.objects.filter(
            township_id=submission.township_id,
            year=submission.year,
            month=submission.month,
            version__lt=submission.version,
        )
        .exclude(status=Submission.Status.DRAFT)
        .order_by("-version")
        .first()
    )
    returned = earlier is not None and earlier.status == Submission.Status.RETURNED
    return Notice.Kind.RESUBMITTED if returned else Notice.Kind.ARRIVED


def delivery_send(*, delivery_id: int) -> str:
    """Send one delivery (the task's body), under its row lock, so a redelivered task finds it sent. A
    reminder for a township that has reported since is cancelled, not sent. Raises what the channel
    raises; the task retries and records it (delivery_attempt_failed)."""
    with transaction.atomic():
        delivery = (
            Delivery.objects.select_for_update(of=("self",))
            .select_related("notice__township", "recipient")
            .filter(pk=delivery_id)
            .first()
        )
        if delivery is None or delivery.status != Delivery.Status.PENDING:
            return delivery.status if delivery else "missing"
        notice = delivery.notice
        if notice.kind in Notice.REMINDER_KINDS and not _owes(notice.township, notice.year, notice.month):
            delivery.status = Delivery.Status.CANCELLED
            delivery.last_error = "发送前该区镇街道已报送,未发送。"
            delivery.save(update_fields=["status", "last_error"])
            return delivery.status
        channel(delivery.channel).send(notice, delivery.recipient, delivery.address)
        delivery.status, delivery.sent_at, delivery.attempts = (
            Delivery.Status.SENT,
            timezone.now(),
            delivery.attempts + 1,
        )
        delivery.save(update_fields=["status", "sent_at", "attempts"])
        return delivery.status


def delivery_attempt_failed(*, delivery_id: int, error: str, final: bool) -> None:
    """A try failed: counted with its error; after the last try the delivery is recorded as failed."""
    changes = {"attempts": F("attempts") + 1, "last_error": error[:2000]}
    if final:
        changes["status"] = Delivery.Status.FAILED
    Delivery.objects.filter(pk=delivery_id, status=Delivery.Status.PENDING).update(**changes)


def notice_mark_read(*, user, delivery_id: int) -> bool:
    """Mark one of the user's own portal notices read; someone else's is not found (False)."""
    updated = Delivery.objects.filter(
        pk=delivery_id, recipient=user, channel="portal", read_at__isnull=True
    ).update(read_at=timezone.now())
    return updated == 1 or Delivery.objects.filter(pk=delivery_id, recipient=user, channel="portal").exists()


def notices_mark_all_read(*, user) -> int:
    return Delivery.objects.filter(recipient=user, channel="portal", read_at__isnull=True).update(
        read_at=timezone.now()
    )
