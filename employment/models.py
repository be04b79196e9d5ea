"""The employment registers (就业业务台账): the gig-work station network and its monthly service
counts, business guarantee loans, skills-training classes and returnee start-ups. The last three
feed indicators (see apps.py); the station counts are the network's own statistics.

Each record's rules are declared once (registers.validators): in Meta.constraints, the database's
CHECK and the message users read at once; in the `register`, the dates that cannot be after today
and the level of unit a record counts at. A clean() holds only a model's own rules (a station's
parent, a month before the station opened). The admin, the API and the import all call full_clean."""

from __future__ import annotations

from django.db import models
from django.db.models import Q

from orgs.models import OrgUnit
from registers.declaration import ORG_NAME, Column, Register
from registers.models import AuditedRecord, RegisterRecord, count_field
from registers.personal import Personal, masked
from registers.validators import (
    AT_UPPER,
    RecordErrors,
    in_range_rule,
    month_has_come,
    month_rule,
    on_or_after,
    positive_rule,
    registered_at,
    within,
    year_rule,
)

# Money in 万元, exact to the 元 (4 places), as the indicator keeps it.
AMOUNT_DIGITS, AMOUNT_PLACES = 12, 4


TOWNSHIP = [OrgUnit.Level.TOWNSHIP]


# ----------------------------------------------------------------------------- gig-work stations


class GigStation(RegisterRecord):
    """A station of the gig-work network (零工驿站): the city hub, its industry branches, the
    townships' micro-stations and the village points under them. Village points have no org unit
    of their own (villages are not in the org tree): they count at their township."""

    class Kind(models.TextChoices):
        HUB = "hub", "零工驿站总站"
        BRANCH = "branch", "行业分站"
        TOWNSHIP = "township", "区镇街道微站"
        VILLAGE = "village", "村级微站"

    kind = models.CharField("驿站层级", max_length=10, choices=Kind.choices)
    name = models.CharField(
        "驿站名称", max_length=60, unique=True, error_messages={"unique": "驿站名称已存在。"}
    )
    parent = models.ForeignKey(
        "self",
        verbose_name="上级驿站",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        help_text="总站无上级;行业分站和区镇街道微站的上级是总站;村级微站的上级是本区镇街道的微站。",
    )
    opened_on = models.DateField("建站日期")
    is_active = models.BooleanField("运营中", default=True)

    register = Register(
        columns=["name", "kind", "org_unit", ORG_NAME, "parent", "opened_on", "is_active"],
        list_filter=["kind", "is_active", "org_unit"],
        search_fields=["name"],
        # Other sheets (a station's months, a village point's parent) name a station by its name.
        named_by="name",
        unknown="请先登记该驿站。",
        happened=["opened_on"],
    )

    # Which parent kind each kind hangs under (None: no parent).
    PARENT_KIND = {
        Kind.HUB: None,
        Kind.BRANCH: Kind.HUB,
        Kind.TOWNSHIP: Kind.HUB,
        Kind.VILLAGE: Kind.TOWNSHIP,
    }
    # Hub and branches are the city's own (市本级); the others sit in a township.
    CITY_KINDS = {Kind.HUB, Kind.BRANCH}

    class Meta:
        verbose_name = "零工驿站"
        verbose_name_plural = "零工驿站"
        ordering = ["org_unit__sort_order", "kind", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="hub", parent__isnull=True) | (~Q(kind="hub") & Q(parent__isnull=False)),
                name="gigstation_only_hub_has_no_parent",
                violation_error_message="只有零工驿站总站没有上级驿站,其他驿站必须指定上级驿站。",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        errors = RecordErrors.of(self)
        self._check_org(errors)
        self._check_parent(errors)
        errors.raise_any()

    def _check_org(self, errors: RecordErrors) -> None:
        if self.kind:
            want = AT_UPPER if self.kind in self.CITY_KINDS else TOWNSHIP
            errors.add("org_unit", registered_at(self, want, self.get_kind_display()))

    def _check_parent(self, errors: RecordErrors) -> None:
        if not self.kind:
            return
        want = self.PARENT_KIND[self.kind]
        parent = self.parent if self.parent_id else None
        if want is None:
            if parent is not None:
                errors.add("parent", "零工驿站总站不能有上级驿站。")
        elif parent is None:
            errors.add("parent", f"{self.get_kind_display()}须指定上级驿站。")
        elif parent.pk is not None and parent.pk == self.pk:
            errors.add("parent", "上级驿站不能是驿站自己。")
        elif parent.kind != want:
            errors.add("parent", f"{self.get_kind_display()}的上级须为{self.Kind(want).label}。")
        elif self.kind == self.Kind.VILLAGE and self.org_unit_id and parent.org_unit_id != self.org_unit_id:
            errors.add("parent", "村级微站的上级须为本区镇街道的微站。")


class GigStationMonth(AuditedRecord):
    """A station's service counts for one month (月度服务台账). It counts at its station's org unit,
    so it has none of its own."""

    station = models.ForeignKey(
        GigStation, verbose_name="驿站", on_delete=models.PROTECT, related_name="months"
    )
    year = models.PositiveSmallIntegerField("年度")
    month = models.PositiveSmallIntegerField("月份")
    services = count_field("服务人次", default=0)
    registrations = count_field("零工登记人数", default=0)
    job_postings = count_field("发布岗位数", default=0)
    consultations = count_field("政策咨询人次", default=0)
    placements = count_field("成功对接就业人数", default=0)

    COUNTS = ("services", "registrations", "job_postings", "consultations", "placements")

    # A month belongs to its station's org unit (it has none of its own).
    register = Register(
        columns=[Column("station", "驿站名称"), "year", "month", *COUNTS],
        list_filter=["year", "month", "station__kind", "station__org_unit"],
        search_fields=["station__name"],
        org_path="station__org_unit",
    )

    class Meta:
        verbose_name = "零工驿站月度服务"
        verbose_name_plural = "零工驿站月度服务"
        ordering = ["-year", "-month", "station__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["station", "year", "month"],
                name="gigstationmonth_one_per_station_month",
                violation_error_message="该驿站该月的服务记录已存在,请修改原记录。",
            ),
            month_rule("gigstationmonth_month_1_12"),
            year_rule("gigstationmonth_year_in_range"),
        ]

    def __str__(self) -> str:
        return f"{self.station} {self.year}年{self.month}月"

    def clean(self) -> None:
        if not (self.year and self.month and 1 <= self.month <= 12):
            return  # the field and constraint checks say what is wrong
        errors = RecordErrors.of(self)
        errors.add("month", month_has_come(self.year, self.month))
        station = self.station if self.station_id else None
        if station is not None and (self.year, self.month) < (
            station.opened_on.year,
            station.opened_on.month,
        ):
            errors.add(
                "month", f"“{station.name}”{station.opened_on:%Y年%m月}才建站,不能登记此前月份的服务。"
            )
        errors.raise_any()


# ----------------------------------------------------------------------------- guarantee loans


class GuaranteeLoan(RegisterRecord):
    """A business guarantee loan issued (创业担保贷款). Feeds the month's count and amount."""

    class BorrowerKind(models.TextChoices):
        INDIVIDUAL = "individual", "个人"
        SMALL_BUSINESS = "small_business", "小微企业"

    loan_number = models.CharField(
        "贷款编号",
        max_length=40,
        unique=True,
        error_messages={"unique": "贷款编号已存在,同一笔贷款不能重复登记。"},
    )
    borrower_name = models.CharField("借款人", max_length=100)
    borrower_kind = models.CharField("借款人类型", max_length=20, choices=BorrowerKind.choices)
    issued_on = models.DateField("发放日期")
    amount = models.DecimalField("贷款金额(万元)", max_digits=AMOUNT_DIGITS, decimal_places=AMOUNT_PLACES)
    term_months = models.PositiveSmallIntegerField("贷款期限(月)")
    jobs_created = count_field("带动就业人数", default=0)

    register = Register(
        columns=[
            "loan_number", "borrower_name", "borrower_kind", "org_unit", ORG_NAME,
            "issued_on", "amount", "term_months", "jobs_created",
        ],
        list_filter=["borrower_kind", "org_unit", "issued_on"],
        search_fields=["loan_number", "borrower_name"],
        date_hierarchy="issued_on",
        personal={"borrower_name": Personal.NAME},
        counted_at=TOWNSHIP,
        happened=["issued_on"],
    )  # fmt: skip

    class Meta:
        verbose_name = "创业担保贷款"
        verbose_name_plural = "创业担保贷款"
        ordering = ["-issued_on", "loan_number"]
        constraints = [
            positive_rule("amount", "贷款金额", name="guaranteeloan_amount_positive"),
            in_range_rule(
                "term_months", 1, 120, "贷款期限须在1至120个月之间。", name="guaranteeloan_term_1_120"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.loan_number} {masked(Personal.NAME, self.borrower_name)}"  # 个人信息保护: every label


# ----------------------------------------------------------------------------- training classes


class TrainingClass(RegisterRecord):
    """A vocational skills training class (职业技能培训班). Its trainees count towards
    职业技能提升培训人数 in the month the class ends: a class is counted when it has finished."""

    class Type(models.TextChoices):
        SYB = "syb", "SYB创业培训"
        PRISON = "prison", "监狱服刑人员培训"
        LOBSTER = "lobster", "龙虾加工"
        SEWING = "sewing", "缝纫"
        OTHER = "other", "其他职业技能提升"

    name = models.CharField("培训班名称", max_length=100)
    training_type = models.CharField("培训类型", max_length=10, choices=Type.choices)
    start_on = models.DateField("开班日期")
    end_on = models.DateField("结业日期")
    trainees = count_field("培训人数")
    completions = count_field("结业人数")

    register = Register(
        columns=[
            "name", "training_type", "org_unit", ORG_NAME, "start_on", "end_on", "trainees", "completions",
        ],
        list_filter=["training_type", "org_unit", "end_on"],
        search_fields=["name"],
        date_hierarchy="end_on",
        happened=["end_on"],
    )  # fmt: skip

    class Meta:
        verbose_name = "职业技能培训班"
        verbose_name_plural = "职业技能培训班"
        ordering = ["-end_on", "name"]
        constraints = [on_or_after("end_on", "start_on"), within("completions", "trainees")]

    def __str__(self) -> str:
        return self.name


# ----------------------------------------------------------------------------- returnee start-ups


class ReturneeStartup(RegisterRecord):
    """A business started by someone who came home to start it (返乡创业). Counted in the month it started."""

    founder_name = models.CharField("创业人", max_length=50)
    business_name = models.CharField("创业项目(经营主体)名称", max_length=100)
    started_on = models.DateField("创业日期")
    jobs_created = count_field("带动就业人数", default=0)

    register = Register(
        columns=[
            "founder_name", Column("business_name", "创业项目名称"), "org_unit", ORG_NAME, "started_on",
            "jobs_created",
        ],
        list_display=["business_name", "founder_name", "org_unit", "started_on", "jobs_created"],
        list_filter=["org_unit", "started_on"],
        search_fields=["business_name", "founder_name"],
        date_hierarchy="started_on",
        personal={"founder_name": Personal.NAME},
        counted_at=TOWNSHIP,
        happened=["started_on"],
    )  # fmt: skip

    class Meta:
        verbose_name = "返乡创业"
        verbose_name_plural = "返乡创业"
        ordering = ["-started_on", "business_name"]

    def __str__(self) -> str:
        return f"{self.business_name}({masked(Personal.NAME, self.founder_name)})"
