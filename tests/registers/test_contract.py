"""The contract every register keeps, whatever its domain app, checked over every register model the
admin lists (a new register without an entry in SAMPLES fails here):

- bureau staff add, change and delete a record through the admin, the API and a spreadsheet import
  (the admin's own two-step import, with a real .xlsx), and each write is in the record's field
  history (who, which door, each field's old and new value as users read it);
- a township user reads only its own township's records through the API, nothing of the city's, and
  writes nothing through any door;
- a register that feeds indicators recounts each month it touches once per write: one figure change
  per cell, even for a file of several records of the same month.

Each sample is a valid record of the register; `n` makes the unique values of two records differ."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from importlib import import_module
from importlib.util import find_spec

import pytest
import tablib
from django.apps import apps
from django.conf import settings
from django.contrib import admin
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, models, transaction
from django.test import RequestFactory
from django.urls import reverse
from rest_framework.test import APIClient

from indicators.feeds import feed_periods, feeds_of
from indicators.models import FigureChange
from labor_relations.credit_codes import credit_code_check_char
from orgs.models import OrgUnit
from registers.admin import RegisterAdmin
from registers.models import AuditedRecord, Door, RecordChange
from registers.services import record_create, records_import
from registers.validators import PairRule, RecordRule
from tests.conftest import admin_refused


def _credit_code(n: int) -> str:
    first17 = f"91429005MA4F0{n:03d}X"
    return first17 + credit_code_check_char(first17)


CITY, TOWN_A, TOWN_B = "429005", "429005001", "429005002"


@dataclass(frozen=True)
class Sample:
    build: object  # (n, org unit, make) -> an unsaved record; make(label, org) gives a prerequisite
    change: tuple[str, object]  # a field and the value a change gives it
    org_field: str | None = "org_unit"  # the path to the record's org unit; None: a city-wide record
    public: bool = False  # read by anyone signed in (public policy, such as the insurance rates)


def _m(label: str):
    return lambda **values: apps.get_model(label)(**values)


SAMPLES: dict[str, Sample] = {
    "employment.GuaranteeLoan": Sample(
        lambda n, org, make: _m("employment.GuaranteeLoan")(
            org_unit=org,
            loan_number=f"QJCD2024{n:05d}",
            borrower_name="张伟",
            borrower_kind="individual",
            issued_on=date(2024, 3, 5),
            amount=Decimal("20.5"),
            term_months=24,
            jobs_created=2,
        ),
        ("borrower_name", "李娜"),
    ),
    "employment.TrainingClass": Sample(
        lambda n, org, make: _m("employment.TrainingClass")(
            org_unit=org,
            name=f"龙虾加工培训班{n}",
            training_type="lobster",
            start_on=date(2024, 3, 1),
            end_on=date(2024, 3, 20),
            trainees=40,
            completions=38,
        ),
        ("trainees", 45),
    ),
    "employment.ReturneeStartup": Sample(
        lambda n, org, make: _m("employment.ReturneeStartup")(
            org_unit=org,
            founder_name="王强",
            business_name=f"潜江市小龙虾食品{n}号店",
            started_on=date(2024, 3, 8),
            jobs_created=3,
        ),
        ("jobs_created", 5),
    ),
    "employment.GigStation": Sample(
        lambda n, org, make: _m("employment.GigStation")(
            org_unit=org,
            kind="village",
            name=f"测试村零工服务点{n}",
            parent=make("employment.GigStation", org),
            opened_on=date(2024, 3, 1),
            is_active=True,
        ),
        ("name", "测试村零工服务点(更名)"),
    ),
    "employment.GigStationMonth": Sample(
        lambda n, org, make: _m("employment.GigStationMonth")(
            station=make("employment.GigStation", org),
            year=2024,
            month=2 + n,
            services=80,
            registrations=6,
            job_postings=12,
            consultations=10,
            placements=2,
        ),
        ("services", 90),
        org_field="station__org_unit",
    ),
    "social_insurance.InsuredCount": Sample(
        lambda n, org, make: _m("social_insurance.InsuredCount")(
            org_unit=org, year=2024, month=2 + n, insurance_type="pension", insured=1200
        ),
        ("insured", 1250),
    ),
    "social_insurance.CardIssuance": Sample(
        lambda n, org, make: _m("social_insurance.CardIssuance")(
            org_unit=org, year=2024, month=2 + n, physical_cards=30, ecards_signed=45
        ),
        ("physical_cards", 35),
    ),
    "social_insurance.UnemploymentInsuranceRate": Sample(
        lambda n, org, make: _m("social_insurance.UnemploymentInsuranceRate")(
            valid_from=date(2030 + n, 1, 1),
            valid_to=date(2030 + n, 12, 31),
            employer_rate=Decimal("0.7"),
            individual_rate=Decimal("0.3"),
            policy_document=f"鄂人社发〔{2030 + n}〕1号",
        ),
        ("policy_document", "鄂人社发〔2030〕9号"),
        org_field=None,
        public=True,
    ),
    "social_insurance.LandRequisitionEstimate": Sample(
        lambda n, org, make: _m("social_insurance.LandRequisitionEstimate")(
            org_unit=org,
            project=f"潜江市城南片区改造项目第{n}期",
            estimated_on=date(2024, 3, 5),
            people=120,
            amount=Decimal("702.35"),
        ),
        ("project", "潜江市工业园扩区项目"),
    ),
    "talent.RecruitmentPlan": Sample(
        lambda n, org, make: _m("talent.RecruitmentPlan")(
            org_unit=org,
            year=2024,
            employer=f"潜江市第{n}中学",
            approved_on=date(2024, 3, 5),
            posts=3,
            applicants=20,
            hired=2,
        ),
        ("employer", "潜江市实验中学"),
    ),
    "talent.CampusRecruitment": Sample(
        lambda n, org, make: _m("talent.CampusRecruitment")(
            org_unit=org,
            university=f"长江大学{n}",
            held_on=date(2024, 3, 5),
            applicants=120,
            signed=30,
            masters=4,
            first_tier=9,
        ),
        ("university", "武汉理工大学"),
    ),
    "talent.CertificationBody": Sample(
        lambda n, org, make: _m("talent.CertificationBody")(
            name=f"潜江市测试职业技能等级认定站{n}", kind="enterprise", recognised_on=date(2024, 3, 5)
        ),
        ("name", "潜江市测试职业技能等级认定站(更名)"),
        org_field=None,
    ),
    "talent.SkillCertificate": Sample(
        lambda n, org, make: _m("talent.SkillCertificate")(
            org_unit=org,
            number=f"S2024{n:08d}",
            holder_name="刘洋",
            issued_on=date(2024, 3, 5),
            occupation="电工",
            level="senior",
            body=make("talent.CertificationBody", None),
        ),
        ("holder_name", "陈静"),
    ),
    "talent.SkillCompetition": Sample(
        lambda n, org, make: _m("talent.SkillCompetition")(
            name=f"潜江市职业技能大赛第{n}场",
            level="city",
            held_on=date(2024, 3, 5),
            hosted=True,
            contestants=60,
            regions=None,
        ),
        ("contestants", 66),
        org_field=None,
    ),
    "talent.CompetitionAward": Sample(
        lambda n, org, make: _m("talent.CompetitionAward")(
            competition=make("talent.SkillCompetition", None), winner=f"选手{n}", prize="gold"
        ),
        ("winner", "选手甲"),
        org_field=None,
    ),
    "labor_relations.DisputeCase": Sample(
        lambda n, org, make: _m("labor_relations.DisputeCase")(
            org_unit=org,
            case_number=f"潜劳人仲案字〔2024〕{n}号",
            applicant="赵敏",
            respondent="潜江市某服装有限公司",
            received_on=date(2024, 3, 1),
            stage="mediation",
            deadline_extended=False,
            closed_on=date(2024, 3, 20),
            closed_how="mediated",
            final_award=False,
            amount=Decimal("8000.00"),
        ),
        ("applicant", "孙丽"),
    ),
    "labor_relations.WageArrearsCase": Sample(
        lambda n, org, make: _m("labor_relations.WageArrearsCase")(
            org_unit=org,
            case_number=f"QJQX2024{n:04d}",
            employer="潜江市某建筑工程有限公司",
            source="complaint",
            opened_on=date(2024, 3, 1),
            closed_on=date(2024, 3, 25),
            workers=12,
            amount_recovered=Decimal("86000.00"),
            referred_to_police=False,
            court_enforcement=False,
        ),
        ("employer", "潜江市某劳务有限公司"),
    ),
    "labor_relations.CreditRating": Sample(
        lambda n, org, make: _m("labor_relations.CreditRating")(
            org_unit=org,
            employer="潜江市华信商贸有限公司",
            credit_code=_credit_code(1),
            year=2022 + n,
            grade="A",
            rated_on=date(2024, 3, 5),
            report_issued_on=date(2024, 3, 20),
        ),
        ("grade", "B"),
    ),
    "labor_relations.InspectionComplaint": Sample(
        lambda n, org, make: _m("labor_relations.InspectionComplaint")(
            org_unit=org,
            number=f"潜监投〔2024〕{n:05d}号",
            received_on=date(2024, 3, 5),
            channel="visit",
            complainant="周芳",
            employer="潜江市某建筑工程有限公司",
            matter="拖欠工资",
            workers=2,
            outcome="",
            closed_on=date(2024, 3, 18),
        ),
        ("matter", "未签订劳动合同"),
    ),
    "labor_relations.WageArrearsLead": Sample(
        lambda n, org, make: _m("labor_relations.WageArrearsLead")(
            org_unit=org,
            lead_number=f"QXXS2024{n:05d}",
            assigned_on=date(2024, 3, 1),
            employer="潜江市某劳务有限公司",
            workers=4,
            amount_claimed=Decimal("32000.00"),
            handled_on=date(2024, 3, 15),
            became_case=False,
        ),
        ("employer", "潜江市某服装有限公司"),
    ),
    "labor_relations.BlacklistEntry": Sample(
        lambda n, org, make: _m("labor_relations.BlacklistEntry")(
            org_unit=org,
            employer="潜江市某建筑工程有限公司",
            credit_code=_credit_code(n),
            listed_on=date(2024, 3, 5),
            reason="拒不支付劳动报酬",
        ),
        ("reason", "拒不支付劳动报酬,情节严重"),
    ),
}

# Prerequisites some samples point at (a parent station, a certification body, a competition).
# make(label, org) gives one per org (a township's station under the city's hub).
PREREQUISITES = {
    "hub": lambda org, make: _m("employment.GigStation")(
        org_unit=org, kind="hub", name="测试零工市场", opened_on=date(2024, 1, 2), is_active=True
    ),
    "employment.GigStation": lambda org, make: _m("employment.GigStation")(
        org_unit=org,
        kind="township",
        name=f"测试零工驿站{org.code}",
        parent=make("hub", None),
        opened_on=date(2024, 1, 2),
        is_active=True,
    ),
    "talent.CertificationBody": lambda org, make: _m("talent.CertificationBody")(
        name="潜江市测试认定站(前提)", kind="enterprise", recognised_on=date(2024, 1, 2)
    ),
    "talent.SkillCompetition": lambda org, make: _m("talent.SkillCompetition")(
        name="潜江市测试技能大赛(前提)", level="city", held_on=date(2024, 1, 2), hosted=True, contestants=10
    ),
}


def register_models() -> list[type[models.Model]]:
    return [m for m, a in admin.site._registry.items() if isinstance(a, RegisterAdmin)]


LABELS = sorted(m._meta.label for m in register_models())


def test_every_register_keeps_the_contract():
    """Every register the admin lists has a sample here; every audited record has a register admin."""
    assert sorted(SAMPLES) == LABELS
    audited = {m._meta.label for m in apps.get_models() if issubclass(m, AuditedRecord)}
    assert audited <= set(LABELS)


# ----------------------------------------------------------------------------- helpers


class Kit:
    """One register's doors for a test: its model, admin, API route, resource and sample."""

    def __init__(self, label: str, orgs: dict[str, OrgUnit], user):
        self.label, self.orgs, self.user = label, orgs, user
        self.model = apps.get_model(label)
        self.admin = admin.site._registry[self.model]
        self.sample = SAMPLES[label]
        self._made: dict[tuple, models.Model] = {}
        self._before = set(self.model._default_manager.values_list("pk", flat=True))  # seeded by migrations

    # records

    def make(self, label: str, org: OrgUnit | None) -> models.Model:
        key = (label, org.code if org else None)
        if key not in self._made:
            city = self.orgs[CITY]
            self._made[key] = record_create(user=None, record=PREREQUISITES[label](org or city, self.make))
        return self._made[key]

    def build(self, n: int = 1, org: str = TOWN_A) -> models.Model:
        return self.sample.build(n, self.orgs[org], self.make)

    def create(self, n: int = 1, org: str = TOWN_A) -> models.Model:
        return record_create(user=None, record=self.build(n, org))

    def changes(self, record: models.Model) -> list[RecordChange]:
        return list(
            RecordChange.objects.filter(
                content_type=ContentType.objects.get_for_model(self.model), object_id=record.pk
            ).order_by("id")
        )

    # the API

    @property
    def url(self) -> str:
        for app in settings.DOMAIN_APPS:
            if find_spec(f"{app}.api"):
                for prefix, viewset, _ in import_module(f"{app}.api").ROUTES:
                    if viewset.queryset.model is self.model:
                        self.viewset = viewset
                        return f"/api/v1/{prefix}/"
        raise AssertionError(f"{self.label}: no API route")

    def payload(self, record: models.Model) -> dict:
        self.url  # noqa: B018 (finds the viewset)
        serializer = self.viewset.serializer_class(record)
        writable = {name for name, f in serializer.fields.items() if not f.read_only}
        return {k: v for k, v in serializer.data.items() if k in writable and v is not None}

    # the admin

    def form_data(self, record: models.Model, page: str) -> dict:
        """The admin form's fields filled from `record`, as a browser would post them."""
        data = {}
        request = self.request()
        for name in self.admin.get_form(request, record if record.pk else None).base_fields:
            f = self.model._meta.get_field(name)
            value = getattr(record, f.attname)
            if isinstance(f, models.BooleanField):
                if value:
                    data[name] = "on"
            elif value is None:
                data[name] = ""
            elif isinstance(value, date):
                data[name] = value.isoformat()
            else:
                data[name] = str(value)
        for prefix in re.findall(r'name="([\w-]+)-TOTAL_FORMS"', page):
            data |= {f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0"}
        return data

    def admin_url(self, view: str, *args) -> str:
        return reverse(f"admin:{self.model._meta.app_label}_{self.model._meta.model_name}_{view}", args=args)

    # the import

    def resource(self):
        return self.admin.get_resource_classes(self.request())[0]()

    def request(self):
        request = RequestFactory().get("/")
        request.user = self.user
        return request

    def remove(self, records: list[models.Model]) -> None:
        """Delete records through the register service (their months recounted)."""
        records_import(user=None, model=self.model, deleted=records, door=Door.COMMAND)

    def records(self):
        """The register's records, less the prerequisites the samples point at."""
        made = [r.pk for r in self._made.values() if type(r) is self.model] + list(self._before)
        return self.model._default_manager.exclude(pk__in=made).order_by("pk")

    def xlsx(self, records: list[models.Model], *, new: bool) -> bytes:
        """The records as the admin exports them (a file of new records: without their ids)."""
        resource = self.resource()
        dataset = resource.export(queryset=self.model._default_manager.filter(pk__in=[r.pk for r in records]))
        if new:
            # A register matched by its natural key (an org unit's month) has no id column.
            for column in [f.column_name for f in resource.fields.values() if f.attribute == "id"]:
                at = dataset.headers.index(column)
                rows = [list(row) for row in dataset]
                for row in rows:
                    row[at] = ""
                dataset = tablib.Dataset(*rows, headers=dataset.headers)
        return dataset.export("xlsx")

    def admin_import(self, client, content: bytes):
        formats = [f().get_title() for f in self.admin.formats]
        data = {"import_file": SimpleUploadedFile("台账.xlsx", content), "format": str(formats.index("xlsx"))}
        preview = client.post(self.admin_url("import"), data)
        assert preview.context and preview.context.get("confirm_form"), _errors(preview)
        done = client.post(self.admin_url("process_import"), preview.context["confirm_form"].initial)
        assert done.status_code == 302, _errors(done)

    # feeds

    def figure_changes(self) -> Counter:
        codes = [code for f in feeds_of(self.model) for code in f.values]
        cells = FigureChange.objects.filter(indicator__code__in=codes).values_list(
            "indicator__code", "org_unit__code", "year", "month"
        )
        return Counter(cells)


def _errors(response) -> str:
    text = response.content.decode()
    found = re.findall(r'class="errorlist[^"]*">(.*?)</ul>', text, re.S) + re.findall(
        r"<li[^>]*>([^<]*(?:错误|不|须|无效)[^<]*)</li>", text
    )
    return f"{response.status_code}: {found[:5] or text[:1500]}"


@pytest.fixture
def kit(request, orgs, indicators, bureau_user):
    return Kit(request.param, orgs, bureau_user)


@pytest.fixture
def bureau_client(client, bureau_user):
    client.force_login(bureau_user)
    return client


def _api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def _shown_values(change: RecordChange, field: str) -> tuple[str, str]:
    (entry,) = [c for c in change.changes if c["field"] == field]
    return entry["old"], entry["new"]


per_register = pytest.mark.parametrize("kit", LABELS, indirect=True)


# ----------------------------------------------------------------------------- the API


@per_register
def test_the_api_adds_changes_and_deletes_with_history(kit, bureau_user):
    api = _api(bureau_user)
    added = api.post(kit.url, kit.payload(kit.build()), format="json")
    assert added.status_code == 201, added.content.decode()
    record = kit.model._default_manager.get(pk=added.data["id"])

    field, value = kit.sample.change
    changed = api.patch(f"{kit.url}{record.pk}/", {field: value}, format="json")
    assert changed.status_code == 200, changed.content.decode()
    record.refresh_from_db()
    assert getattr(record, field) == value

    assert api.delete(f"{kit.url}{record.pk}/").status_code == 204
    assert not kit.model._default_manager.filter(pk=record.pk).exists()

    create, update, delete = kit.changes(record)
    assert [c.action for c in (create, update, delete)] == ["create", "update", "delete"]
    assert {c.door for c in (create, update, delete)} == {Door.API}
    assert {c.changed_by for c in (create, update, delete)} == {bureau_user}
    old, new = _shown_values(update, field)
    assert new != old and new in (
        str(value),
        record._meta.get_field(field).flatchoices
        and dict(record._meta.get_field(field).flatchoices).get(value),
    )


# ----------------------------------------------------------------------------- the admin


@per_register
def test_the_admin_adds_changes_and_deletes_with_history(kit, bureau_client, bureau_user):
    page = bureau_client.get(kit.admin_url("add")).content.decode()
    added = bureau_client.post(kit.admin_url("add"), kit.form_data(kit.build(), page))
    assert added.status_code == 302, _errors(added)
    record = kit.records().last()

    field, value = kit.sample.change
    setattr(record, field, value)
    page = bureau_client.get(kit.admin_url("change", record.pk)).content.decode()
    changed = bureau_client.post(kit.admin_url("change", record.pk), kit.form_data(record, page))
    assert changed.status_code == 302, _errors(changed)
    record.refresh_from_db()
    assert getattr(record, field) == value

    history = bureau_client.get(kit.admin_url("history", record.pk)).content.decode()
    _, update = kit.changes(record)
    old, new = _shown_values(update, field)
    assert old in history and new in history  # the history page shows the old and the new value

    deleted = bureau_client.post(kit.admin_url("delete", record.pk), {"post": "yes"})
    assert deleted.status_code == 302, _errors(deleted)
    assert not kit.model._default_manager.filter(pk=record.pk).exists()
    actions = [(c.action, c.door, c.changed_by) for c in kit.changes(record)]
    assert actions == [(a, Door.ADMIN, bureau_user) for a in ("create", "update", "delete")]


# ----------------------------------------------------------------------------- the import


@per_register
def test_an_import_adds_and_changes_with_history(kit, bureau_client, bureau_user):
    first, second = kit.create(1), kit.create(2)
    new_file = kit.xlsx([first, second], new=True)
    kit.remove([first, second])

    kit.admin_import(bureau_client, new_file)
    added = list(kit.records())
    assert len(added) == 2
    for record in added:
        create = kit.changes(record)[-1]  # (a file that names a deleted record's id restores it)
        assert (create.action, create.door, create.changed_by) == ("create", Door.IMPORT, bureau_user)

    field, value = kit.sample.change
    target = added[0]
    setattr(target, field, value)
    target.save()  # only to export the changed value; the import below is what is checked
    changed_file = kit.xlsx([target], new=False)
    kit.model._default_manager.filter(pk=target.pk).update(**{field: getattr(first, field)})
    kit.admin_import(bureau_client, changed_file)
    target.refresh_from_db()
    assert getattr(target, field) == value
    update = kit.changes(target)[-1]
    assert (update.action, update.door) == ("update", Door.IMPORT)
    old, new = _shown_values(update, field)
    assert old != new


# ----------------------------------------------------------------------------- scope


@per_register
def test_a_township_reads_only_its_own_records_and_writes_nothing(
    kit, client, township_a_user, township_b_user
):
    mine, theirs = kit.create(1, TOWN_A), kit.create(2, TOWN_B)
    api = _api(township_a_user)
    listed = api.get(kit.url, {"page_size": 1000})
    assert listed.status_code == 200
    rows = listed.data["results"] if isinstance(listed.data, dict) else listed.data
    seen = {row["id"] for row in rows}
    assert kit.viewset.public == kit.sample.public  # public reading is declared on the API, not implied
    if kit.sample.public:
        assert seen == set(kit.model._default_manager.values_list("pk", flat=True))
    elif kit.sample.org_field is None:
        assert seen == set()  # records of the city itself: only for those who see the whole city
    else:
        within = kit.model._default_manager.filter(**{kit.sample.org_field: kit.orgs[TOWN_A]})
        assert mine.pk in seen and seen == set(within.values_list("pk", flat=True))
        assert api.get(f"{kit.url}{theirs.pk}/").status_code == 404

    assert api.post(kit.url, kit.payload(kit.build(3)), format="json").status_code == 403
    assert api.patch(f"{kit.url}{mine.pk}/", dict([kit.sample.change]), format="json").status_code in (
        403,
        404,
    )
    assert api.delete(f"{kit.url}{mine.pk}/").status_code in (403, 404)
    client.force_login(township_a_user)
    assert admin_refused(client.get(kit.admin_url("changelist")))
    assert admin_refused(client.post(kit.admin_url("delete", mine.pk), {"post": "yes"}))
    assert kit.model._default_manager.filter(pk__in=[mine.pk, theirs.pk]).count() == 2


# ----------------------------------------------------------------------------- the feeds


FED = [label for label in LABELS if feeds_of(label)]


@pytest.mark.parametrize("kit", FED, indirect=True)
def test_a_file_of_records_recounts_each_month_once(kit, bureau_client):
    """Two records of the same month in one file: one figure change per cell, not one per record."""
    first, second = kit.create(1), kit.create(2)
    months = feed_periods(kit.model, first) | feed_periods(kit.model, second)
    new_file = kit.xlsx([first, second], new=True)
    kit.remove([first, second])
    FigureChange.objects.all().delete()

    kit.admin_import(bureau_client, new_file)
    cells = kit.figure_changes()
    assert cells, f"{kit.label}: the import recounted nothing"
    assert {(year, month) for _, _, year, month in cells} >= months
    assert max(cells.values()) == 1, cells


@pytest.mark.parametrize("kit", FED, indirect=True)
def test_each_door_write_recounts_once(kit, bureau_user):
    api = _api(bureau_user)
    added = api.post(kit.url, kit.payload(kit.build()), format="json")
    assert added.status_code == 201, added.content.decode()
    cells = kit.figure_changes()
    assert cells and max(cells.values()) == 1, cells
    FigureChange.objects.all().delete()
    assert api.delete(f"{kit.url}{added.data['id']}/").status_code == 204
    cells = kit.figure_changes()
    assert cells and max(cells.values()) == 1, cells


# ----------------------------------------------------------------------------- declared rules


def _breaking(rule: RecordRule, record: models.Model):
    """A value of the rule's field that the rule refuses, on a record that is otherwise right."""
    if isinstance(rule, PairRule):  # a part above its whole, an end before its start
        other = getattr(record, rule.other)
        return other + (timedelta(days=1) if isinstance(other, date) else 1) * (
            1 if rule.lookup == "lte" else -1
        )
    return -1 if rule.problem(_with(record, rule.field, 0)) is None else 0


def _with(record: models.Model, field: str, value) -> models.Model:
    copy = type(record)(**{f.attname: getattr(record, f.attname) for f in record._meta.concrete_fields})
    setattr(copy, field, value)
    return copy


@per_register
def test_each_declared_rule_is_the_databases_check_and_the_users_message(kit):
    """Every rule in a register's Meta.constraints refuses a breaking value twice, in the same place: in
    Python (full_clean, as every door calls it) naming the field, and in the database by its CHECK."""
    rules = [c for c in kit.model._meta.constraints if isinstance(c, RecordRule)]
    record = kit.create()
    for rule in rules:
        if isinstance(rule, PairRule) and getattr(record, rule.other) is None:
            record = _with(record, rule.other, getattr(record, rule.field))  # the sample leaves it empty
        broken = _with(record, rule.field, _breaking(rule, record))
        with pytest.raises(ValidationError) as refused:
            broken.full_clean()
        assert refused.value.message_dict.get(rule.field), (rule.name, refused.value.message_dict)
        with pytest.raises(IntegrityError), transaction.atomic():
            kit.model._default_manager.filter(pk=record.pk).update(
                **{rule.field: getattr(broken, rule.field)}
            )
