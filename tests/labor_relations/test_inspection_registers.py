"""The inspection brigade's registers the 2024 report counts from (section (四)2 and 4): complaints
received (接待投诉举报), the national wage-arrears platform's leads handled (处置欠薪线索), and the credit
ratings' files and reports (诚信评价档案, 评价报告) — each record counted in its own month and unit."""

from datetime import date
from decimal import Decimal

from labor_relations.models import CreditRating, InspectionComplaint, WageArrearsLead
from tests.registers.records import create_record, update_record

from .conftest import CITY, CODE_1, CODE_2, stored

TOWNSHIP = "429005001"


def _complaint(orgs, n: int, received_on: date, org: str = CITY, **extra) -> InspectionComplaint:
    return create_record(
        InspectionComplaint,
        number=f"潜监投〔2024〕T{n:05d}号",
        org_unit=orgs[org],
        received_on=received_on,
        channel=InspectionComplaint.Channel.VISIT,
        complainant="李娜",
        employer="潜江市荣盛建筑工程有限公司",
        matter="拖欠工资",
        **extra,
    )


def test_complaints_are_counted_in_the_month_and_unit_that_received_them(indicators, orgs):
    _complaint(orgs, 1, date(2024, 3, 2))
    _complaint(orgs, 2, date(2024, 3, 30))
    _complaint(orgs, 3, date(2024, 3, 9), org=TOWNSHIP)
    moved = _complaint(orgs, 4, date(2024, 4, 1))
    assert stored("labor_relations.inspection_complaints", 3) == 2
    assert stored("labor_relations.inspection_complaints", 3, org=TOWNSHIP) == 1
    update_record(moved, received_on=date(2024, 3, 31))
    assert stored("labor_relations.inspection_complaints", 3) == 3
    assert stored("labor_relations.inspection_complaints", 4) is None


def test_a_lead_counts_when_it_is_handled_not_when_it_arrives(indicators, orgs):
    def lead(n: int, handled_on: date | None) -> WageArrearsLead:
        return create_record(
            WageArrearsLead,
            lead_number=f"QXXS2024T{n:04d}",
            org_unit=orgs[TOWNSHIP],
            assigned_on=date(2024, 5, 6),
            employer="潜江市鑫源劳务有限公司",
            workers=3,
            amount_claimed=Decimal("18600.00"),
            handled_on=handled_on,
        )

    lead(1, date(2024, 5, 20))
    still_open = lead(2, None)
    assert stored("labor_relations.arrears_leads", 5, org=TOWNSHIP) == 1
    update_record(still_open, handled_on=date(2024, 6, 3))
    assert stored("labor_relations.arrears_leads", 6, org=TOWNSHIP) == 1


def test_a_rating_makes_a_file_in_its_month_and_a_report_when_one_is_issued(indicators, orgs):
    def rating(code: str, rated_on: date, issued: date | None) -> CreditRating:
        return create_record(
            CreditRating,
            employer="潜江市汉江服饰有限公司",
            credit_code=code,
            org_unit=orgs[TOWNSHIP],
            year=2024,
            grade=CreditRating.Grade.A,
            rated_on=rated_on,
            report_issued_on=issued,
        )

    rating(CODE_1, date(2024, 10, 12), date(2024, 11, 2))
    rating(CODE_2, date(2024, 10, 20), None)
    assert stored("labor_relations.credit_files", 10, org=TOWNSHIP) == 2
    assert stored("labor_relations.credit_reports", 10, org=TOWNSHIP) is None
    assert stored("labor_relations.credit_reports", 11, org=TOWNSHIP) == 1
