"""安全审计: the log is append-only in the database itself and chained by hash, so that
`verify_audit_log` finds an entry edited, inserted or deleted behind the portal's back; it is kept at
least 180 days. Edits "behind the back" are made as the tables' owner with the trigger disabled, which
is what it takes."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, transaction
from django.db.utils import DatabaseError
from django.utils import timezone

from audit.models import GENESIS, ChainHead, Kind, SecurityEvent
from audit.services import audit_chain_verify, audit_log_purge, security_event_record
from common.errors import PortalError

TABLE = "audit_securityevent"


@pytest.fixture
def five(db) -> list[SecurityEvent]:
    return [
        security_event_record(kind=Kind.SIGN_IN, username=f"user{n}", object="门户", detail=f"第{n}次")
        for n in range(5)
    ]


def _behind_the_back(sql: str, params=()) -> None:
    with connection.cursor() as cursor:
        cursor.execute(f"ALTER TABLE {TABLE} DISABLE TRIGGER audit_securityevent_append_only")
        cursor.execute(sql, params)
        cursor.execute(f"ALTER TABLE {TABLE} ENABLE TRIGGER audit_securityevent_append_only")


def test_an_untouched_log_verifies(five):
    assert audit_chain_verify() == []
    call_command("verify_audit_log", stdout=open("/dev/null", "w"))  # noqa: SIM115


def test_the_database_refuses_an_update_of_the_log(five):
    with (
        pytest.raises(DatabaseError, match="安全审计日志只能追加"),
        transaction.atomic(),
        connection.cursor() as c,
    ):
        c.execute(f"UPDATE {TABLE} SET detail = 'x' WHERE seq = %s", [five[1].seq])

    assert SecurityEvent.objects.get(seq=five[1].seq).detail == "第1次"


def test_the_database_refuses_a_delete_of_the_log(five):
    with pytest.raises(DatabaseError, match="安全审计日志只能追加"), transaction.atomic():
        SecurityEvent.objects.filter(seq=five[1].seq).delete()

    assert SecurityEvent.objects.filter(pk=five[1].pk).exists()


def test_the_chain_finds_an_edited_entry(five):
    _behind_the_back(f"UPDATE {TABLE} SET username = 'someone_else' WHERE seq = %s", [five[2].seq])

    problems = audit_chain_verify()

    assert problems == [f"第{five[2].seq}条记录的内容与其哈希不符(被修改)。"]
    with pytest.raises(CommandError, match="校验未通过"):
        call_command("verify_audit_log", stderr=open("/dev/null", "w"))  # noqa: SIM115


def test_the_chain_finds_a_deleted_entry(five):
    n = five[2].seq
    _behind_the_back(f"DELETE FROM {TABLE} WHERE seq = %s", [n])

    problems = audit_chain_verify()

    assert f"第{n}至{n}条记录缺失(被删除)。" in problems
    assert any(p.startswith(f"第{n + 1}条记录与前一条记录不相连") for p in problems)


def test_the_chain_finds_a_deleted_last_entry(five):
    n = five[-1].seq
    _behind_the_back(f"DELETE FROM {TABLE} WHERE seq = %s", [n])

    assert audit_chain_verify() == [f"第{n}至{n}条记录缺失(链尾被删除)。"]


def test_the_chain_finds_an_inserted_entry(five):
    forged = SecurityEvent.objects.get(pk=five[-1].pk)
    forged.pk, forged.seq, forged.username = None, five[-1].seq + 1, "forger"
    forged.save(force_insert=True)  # a copy with the next number, its hash copied too

    problems = audit_chain_verify()

    assert any("不在链上(被插入)" in p for p in problems)
    assert any(p.startswith(f"第{forged.seq}条记录与前一条记录不相连") for p in problems)


def test_the_purge_refuses_entries_younger_than_180_days(five):
    with pytest.raises(PortalError, match="至少保存180天"):
        audit_log_purge(before=timezone.now() - timedelta(days=179))
    with pytest.raises(DatabaseError, match="至少保存180天"), transaction.atomic(), connection.cursor() as c:
        c.execute("SELECT audit_purge(now() - interval '10 days')")  # the database's own refusal

    assert SecurityEvent.objects.filter(pk__in=[e.pk for e in five]).count() == 5


def test_the_purge_deletes_only_what_is_past_keeping_and_the_chain_still_verifies(db):
    _behind_the_back(f"DELETE FROM {TABLE}")  # an empty log (migrate wrote today's settings into it)
    ChainHead.objects.update(seq=0, hash=GENESIS)
    with time_machine.travel(timezone.now() - timedelta(days=200)):
        old = [security_event_record(kind=Kind.SIGN_IN, username=f"old{n}") for n in range(3)]
    recent = security_event_record(kind=Kind.SIGN_IN, username="recent")

    purged = audit_log_purge(before=timezone.now() - timedelta(days=190))

    assert purged == 3
    assert not SecurityEvent.objects.filter(pk__in=[e.pk for e in old]).exists()
    assert SecurityEvent.objects.filter(pk=recent.pk).exists()
    assert ChainHead.objects.get(pk=1).purged_through_seq == old[-1].seq
    assert SecurityEvent.objects.filter(kind=Kind.AUDIT_PURGED, detail="删除3条超过保存期限的记录。").exists()
    assert audit_chain_verify() == []


def test_concurrent_writers_keep_one_chain(transactional_db):
    """Two threads on two connections writing at once: the chain head's row lock orders them."""
    import threading

    from django.db import connections

    def write(n: int) -> None:
        try:
            for i in range(10):
                security_event_record(kind=Kind.EXPORT, username=f"t{n}", object=str(i))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=write, args=(n,)) for n in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    assert SecurityEvent.objects.filter(kind=Kind.EXPORT).count() == 20
    assert audit_chain_verify() == []
