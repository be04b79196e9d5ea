from datetime import date
from io import BytesIO

import pytest
import tablib
from openpyxl import Workbook

from talent.models import CertificationBody, SkillCertificate
from tests.registers.records import create_record


@pytest.fixture
def body(db) -> CertificationBody:
    return create_record(
        CertificationBody,
        name="潜江市技工学校",
        kind=CertificationBody.Kind.SCHOOL,
        recognised_on=date(2020, 9, 1),
    )


@pytest.fixture
def certify(body):
    """certify(org, date(2024, 3, 5), "senior") registers one certificate."""
    counter = iter(range(1, 100000))

    def _certify(org, issued_on: date, level: str = "junior", **extra) -> SkillCertificate:
        return create_record(
            SkillCertificate,
            number=extra.pop("number", f"T{next(counter):06d}"),
            holder_name="张三",
            org_unit=org,
            issued_on=issued_on,
            occupation="电工",
            level=level,
            body=body,
            **extra,
        )

    return _certify


@pytest.fixture
def bureau_client(client, bureau_user):
    client.force_login(bureau_user)
    return client


def xlsx_bytes(headers: list[str], rows: list[list]) -> bytes:
    book = Workbook()
    book.active.append(headers)
    for row in rows:
        book.active.append(row)
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def xlsx_dataset(headers: list[str], rows: list[list]) -> tablib.Dataset:
    return tablib.Dataset().load(xlsx_bytes(headers, rows), format="xlsx")
