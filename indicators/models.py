"""The facts: indicators, the annual quotas handed down, and the monthly values reported.
Completion is derived from these elsewhere and never typed."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone

from common.numbers import format_figure
from common.years import YEAR_MAX, YEAR_MIN

# Exact decimals. Money is kept in 万元 with six places (to the 分); counts are whole numbers.
VALUE_DIGITS, VALUE_PLACES = 20, 6
# A 核实 figure is accepted only with a written explanation of at least this many characters.
EXPLANATION_LABEL, EXPLANATION_MIN_CHARS, EXPLANATION_MAX_CHARS = "核实说明", 6, 500


class Area(models.TextChoices):
    EMPLOYMENT = "employment", "就业"
    SOCIAL_INSURANCE = "social_insurance", "社会保险"
    TALENT = "talent", "人才人事"
    LABOR_RELATIONS = "labor_relations", "劳动关系"


class Channel(models.TextChoices):
    """Through which door a figure arrived."""

    ADMIN = "admin", "管理后台"
    SHEET = "sheet", "后台月度填报"
    SPLIT = "split", "目标任务分解"
    IMPORT = "import", "后台批量导入"
    API = "api", "接口"
    UPLOAD = "upload", "区镇报表上传"
    REGISTER = "register", "业务台账汇总"
    COMMAND = "command", "命令行"
    DEMO = "demo", "演示数据"


class Indicator(models.Model):
    """One indicator in one year's indicator set (年度指标体系). Each year's set is its own rows: the
    province hands down a new assessment set every January, and a rename, a new unit or a retirement in
    2027 must not change what 2024's pages, templates and submissions say. The code is the indicator's
    identity across years (a renamed indicator keeps it and its history); every fact of a year (monthly
    values, quotas, completion, submissions, history) points at that year's row, and on PostgreSQL a
    composite foreign key (indicator_id, year) makes a value of another year's row impossible. The
    bureau keeps the sets in the portal (indicators.sets); the register feeds stay declared in code."""

    class Kind(models.TextChoices):
        FLOW = "flow", "累计型"
        STOCK = "stock", "时点型"
        RATIO = "ratio", "比率型"

    class Source(models.TextChoices):
        """Who supplies the figures."""

        TOWNSHIP = "township", "区镇街道填报"
        BUREAU = "bureau", "局业务科室录入"
        REGISTER = "register", "业务台账汇总"
        COMPUTED = "computed", "由分子、分母计算"

    class Direction(models.TextChoices):
        """How the figure is judged against its target: a quota to reach, or a ceiling to stay under
        (城镇登记失业率控制在4.5%以内)."""

        HIGHER = "higher", "越高越好(完成下达任务)"
        CEILING = "ceiling", "不超过目标(控制上限)"

    year = models.PositiveSmallIntegerField("年度")
    code = models.CharField(
        "指标代码",
        max_length=64,
        help_text="指标跨年度的固定标识(如 employment.urban_new_jobs),建立后不能修改;改名不改代码。",
    )
    name = models.CharField("指标名称", max_length=100)
    area = models.CharField("业务领域", max_length=20, choices=Area.choices)
    unit = models.CharField("计量单位", max_length=10)
    kind = models.CharField("指标类型", max_length=10, choices=Kind.choices)
    direction = models.CharField(
        "考核方向", max_length=10, choices=Direction.choices, default=Direction.HIGHER
    )
    source = models.CharField("数据来源", max_length=10, choices=Source.choices, default=Source.TOWNSHIP)
    numerator = models.ForeignKey(
        "self", verbose_name="分子指标", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    denominator = models.ForeignKey(
        "self", verbose_name="分母指标", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    parent = models.ForeignKey(
        "self",
        verbose_name="“其中”所属指标",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="parts",
        help_text="“其中”项是上一级指标的一部分,任何月份都不能大于它。",
    )
    value_places = models.PositiveSmallIntegerField("数值小数位", default=0)
    rate_places = models.PositiveSmallIntegerField("完成率显示小数位", default=1)
    fed_by = models.CharField(
        "数据来源台账",
        max_length=50,
        blank=True,
        help_text="由业务台账自动汇总的指标不能手工填报,只能在台账中更正记录。",
    )
    sort_order = models.PositiveIntegerField("排序", default=0)
    is_active = models.BooleanField(
        "本年度在用", default=True, help_text="停用的指标不再出现在本年度的模板和页面中,已有数据保留。"
    )
    description = models.TextField("口径说明", blank=True)

    class Meta:
        verbose_name = "年度指标"
        verbose_name_plural = "年度指标体系"
        ordering = ["year", "sort_order", "code"]
        constraints = [
            models.UniqueConstraint(fields=["year", "code"], name="indicator_code_once_a_year"),
            models.CheckConstraint(
                condition=(Q(kind="ratio", numerator__isnull=False, denominator__isnull=False))
                | (~Q(kind="ratio") & Q(numerator__isnull=True, denominator__isnull=True)),
                name="indicator_ratio_has_numerator_and_denominator",
                violation_error_message="比率型指标必须指定分子和分母指标,其他类型不能指定。",
            ),
            models.CheckConstraint(
                condition=~Q(parent=F("id")),
                name="indicator_parent_not_self",
                violation_error_message="指标不能是自己的“其中”项。",
            ),
            models.CheckConstraint(
                condition=Q(value_places__lte=VALUE_PLACES) & Q(rate_places__lte=4),
                name="indicator_places_in_range",
                violation_error_message=f"数值小数位不能超过{VALUE_PLACES}位,完成率小数位不能超过4位。",
            ),
            models.CheckConstraint(
                condition=Q(year__gte=YEAR_MIN, year__lte=YEAR_MAX),
                name="indicator_year_in_range",
                violation_error_message=f"年度须在{YEAR_MIN}至{YEAR_MAX}之间。",
            ),
            # Who supplies it follows from what it is: a ratio is computed, a register-fed figure names
            # its register, and only those two.
            models.CheckConstraint(
                condition=(Q(kind="ratio") & Q(source="computed"))
                | (~Q(kind="ratio") & ~Q(source="computed")),
                name="indicator_ratio_is_computed",
                violation_error_message="比率型指标由分子、分母计算;其他类型须由区镇街道填报、局业务科室录入或业务台账汇总。",
            ),
            models.CheckConstraint(
                condition=(Q(source="register") & ~Q(fed_by="")) | (~Q(source="register") & Q(fed_by="")),
                name="indicator_register_fed_names_its_register",
                violation_error_message="由业务台账汇总的指标须写明台账;其他指标不能写台账。",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name}({self.unit})"

    @property
    def picker_label(self) -> str:
        """In a list of every year's indicators (the admin's pickers): which year's set it is of."""
        return f"{self.year}年 · {self}"

    @property
    def is_ratio(self) -> bool:
        return self.kind == self.Kind.RATIO

    @property
    def is_register_fed(self) -> bool:
        return self.source == self.Source.REGISTER

    @property
    def township_reported(self) -> bool:
        """In the townships' monthly template."""
        return self.source == self.Source.TOWNSHIP

    @property
    def is_ceiling(self) -> bool:
        return self.direction == self.Direction.CEILING


class Quota(models.Model):
    """The annual target for an indicator at an org unit: the city's as handed down by the province
    (省级下达指标), a township's as the city splits it. For a ratio indicator the target is a rate in %."""

    indicator = models.ForeignKey(
        Indicator, verbose_name="指标", on_delete=models.PROTECT, related_name="quotas"
    )
    org_unit = models.ForeignKey(
        "orgs.OrgUnit", verbose_name="组织机构", on_delete=models.PROTECT, related_name="quotas"
    )
    year = models.PositiveSmallIntegerField("年度")
    target = models.DecimalField("年度目标", max_digits=VALUE_DIGITS, decimal_places=VALUE_PLACES)
    note = models.CharField("备注", max_length=200, blank=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="更新人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = "年度目标任务"
        verbose_name_plural = "年度目标任务"
        ordering = ["-year", "indicator__sort_order", "org_unit__sort_order"]
        constraints = [
            models.UniqueConstraint(
                fields=["year", "indicator", "org_unit"], name="quota_one_per_indicator_org_year"
            ),
            models.CheckConstraint(
                condition=Q(target__gt=0),
                name="quota_target_positive",
                violation_error_message="年度目标必须大于0。",
            ),
            models.CheckConstraint(
                condition=Q(year__gte=YEAR_MIN, year__lte=YEAR_MAX),
                name="quota_year_in_range",
                violation_error_message=f"年度须在{YEAR_MIN}至{YEAR_MAX}之间。",
            ),
        ]

    def __str__(self) -> str:
        figure = format_figure(self.target, max(self.indicator.value_places, self.indicator.rate_places))
        return f"{self.year}年 {self.org_unit.name} {self.indicator.name} {figure}{self.indicator.unit}"


class MonthlyValue(models.Model):
    """One reported figure: an indicator at an org unit for one month. For a flow indicator it is the
    month's own amount, for a stock indicator the level at the month's end. No row = not reported."""

    indicator = models.ForeignKey(
        Indicator, verbose_name="指标", on_delete=models.PROTECT, related_name="values"
    )
    org_unit = models.ForeignKey(
        "orgs.OrgUnit", verbose_name="组织机构", on_delete=models.PROTECT, related_name="values"
    )
    year = models.PositiveSmallIntegerField("年度")
    month = models.PositiveSmallIntegerField("月份")
    value = models.DecimalField("数值", max_digits=VALUE_DIGITS, decimal_places=VALUE_PLACES)
    remark = models.CharField("备注", max_length=200, blank=True)
    # Why a figure that a 核实 rule flags is right after all (indicators.rules): it stays with the
    # figure, the reviewer reads it, the history keeps it.
    explanation = models.CharField(EXPLANATION_LABEL, max_length=EXPLANATION_MAX_CHARS, blank=True)
    channel = models.CharField("来源", max_length=10, choices=Channel.choices, default=Channel.ADMIN)
    updated_at = models.DateTimeField("更新时间", auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="更新人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = "月度数据"
        verbose_name_plural = "月度数据"
        ordering = ["-year", "-month", "indicator__sort_order", "org_unit__sort_order"]
        constraints = [
            # Field order matters: the completion engine reads one year at a time through this index.
            models.UniqueConstraint(
                fields=["year", "indicator", "org_unit", "month"],
                name="monthlyvalue_one_per_indicator_org_month",
            ),
            models.CheckConstraint(
                condition=Q(value__gte=0),
                name="monthlyvalue_not_negative",
                violation_error_message="数值不能为负数。",
            ),
            models.CheckConstraint(
                condition=Q(month__gte=1, month__lte=12),
                name="monthlyvalue_month_1_12",
                violation_error_message="月份须在1至12之间。",
            ),
            models.CheckConstraint(
                condition=Q(year__gte=YEAR_MIN, year__lte=YEAR_MAX),
                name="monthlyvalue_year_in_range",
                violation_error_message=f"年度须在{YEAR_MIN}至{YEAR_MAX}之间。",
            ),
        ]

    def __str__(self) -> str:
        figure = format_figure(self.value, self.indicator.value_places)
        return f"{self.year}年{self.month}月 {self.org_unit.name} {self.indicator.name} {figure}{self.indicator.unit}"


class FigureChange(models.Model):
    """The history of every figure: who changed what, when, from what to what (the value and its remark;
    a quota's target and its note), through which door. Written by the services in the same transaction
    as the change itself, for every change, a remark-only one too."""

    class Subject(models.TextChoices):
        VALUE = "value", "月度数据"
        QUOTA = "quota", "年度目标"

    subject = models.CharField("对象", max_length=10, choices=Subject.choices)
    indicator = models.ForeignKey(Indicator, verbose_name="指标", on_delete=models.PROTECT, related_name="+")
    org_unit = models.ForeignKey(
        "orgs.OrgUnit", verbose_name="组织机构", on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField("年度")
    month = models.PositiveSmallIntegerField("月份", null=True, blank=True)
    old_value = models.DecimalField(
        "原值", max_digits=VALUE_DIGITS, decimal_places=VALUE_PLACES, null=True, blank=True
    )
    new_value = models.DecimalField(
        "新值", max_digits=VALUE_DIGITS, decimal_places=VALUE_PLACES, null=True, blank=True
    )
    # A figure's remark (a quota's note) before and after: a change of the remark alone is a change too.
    old_remark = models.CharField("原备注", max_length=200, blank=True, default="")
    new_remark = models.CharField("新备注", max_length=200, blank=True, default="")
    explanation = models.CharField(
        EXPLANATION_LABEL, max_length=EXPLANATION_MAX_CHARS, blank=True, default=""
    )
    changed_at = models.DateTimeField("修改时间", default=timezone.now, db_index=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="修改人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # Kept as text too, so the record still names the person if the account is removed.
    changed_by_name = models.CharField("修改人姓名", max_length=150, blank=True)
    channel = models.CharField("渠道", max_length=10, choices=Channel.choices)
    note = models.CharField("说明", max_length=200, blank=True)
    # The township report (reporting.Submission) whose approval made this change (channel UPLOAD), so a
    # figure's provenance reaches the submission, its file and its row without reading `note`. A plain
    # integer: indicators sits below reporting and knows nothing of it; on PostgreSQL reporting's own
    # migration (0008) makes it a foreign key.
    submission_pk = models.PositiveBigIntegerField("月报提交编号", null=True, blank=True)

    class Meta:
        verbose_name = "数据修改记录"
        verbose_name_plural = "数据修改记录"
        ordering = ["-changed_at", "-id"]
        indexes = [models.Index(fields=["year", "indicator", "org_unit", "month"], name="figurechange_cell")]

    def __str__(self) -> str:
        return f"{self.changed_at:%Y-%m-%d %H:%M} {self.changed_by_name} {self.old_value}→{self.new_value}"


class Severity(models.TextChoices):
    """What a validation rule does when a figure breaks it (the national statistics system's audit
    classes: 强制性审核 refuses, 核实性审核 asks for an explanation, 提示性审核 only tells)."""

    MANDATORY = "mandatory", "强制"
    VERIFY = "verify", "核实"
    NOTE = "note", "提示"


class ValidationRule(models.Model):
    """A check every figure of a year must pass, kept by bureau staff per year (after DHIS2's validation
    rules: a left side, an operator, a right side). Every door runs the same rules through
    indicators.rules, so a figure is refused, explained or noted in the same words wherever it arrives.

    - 数值界限 (bound): the indicator's figure against a fixed number, the city's resident population,
      another indicator's figure, or the city's whole total of last year, each times a factor;
    - 指标间比较 (compare): one indicator's figure against another's in the same unit and month
      (结案数 ≤ 受理数);
    - 变动幅度 (change): against last month or the same month last year, beyond a ratio either way;
    - 异常值 (outlier): the modified z-score against the unit's own history (DHIS2's default, 3.5).
    A rule names one indicator, or every indicator counted in one unit (every count of 人), or none:
    then it holds for every indicator of the year."""

    class Kind(models.TextChoices):
        BOUND = "bound", "数值界限"
        COMPARE = "compare", "指标间比较"
        CHANGE = "change", "变动幅度"
        OUTLIER = "outlier", "异常值"

    class Operator(models.TextChoices):
        LE = "le", "不大于(≤)"
        LT = "lt", "小于(<)"
        GE = "ge", "不小于(≥)"
        GT = "gt", "大于(>)"

    class Bound(models.TextChoices):
        CONSTANT = "constant", "固定数值"
        POPULATION = "population", "全市常住人口"
        INDICATOR = "indicator", "另一指标的数值"
        CITY_LAST_YEAR = "city_last_year", "全市上年全年数"

    class Basis(models.TextChoices):
        MONTH = "month", "当月数"
        YEAR_TO_DATE = "ytd", "年初至本月累计"

    class Against(models.TextChoices):
        LAST_MONTH = "last_month", "上月"
        SAME_MONTH_LAST_YEAR = "last_year", "去年同月"

    class Scope(models.TextChoices):
        TOWNSHIPS = "townships", "区镇街道"
        ALL = "all", "全部单位(含市本级)"

    year = models.PositiveSmallIntegerField("年度")
    name = models.CharField("规则名称", max_length=100)
    severity = models.CharField("审核类别", max_length=10, choices=Severity.choices)
    kind = models.CharField("规则类型", max_length=10, choices=Kind.choices)
    indicator = models.ForeignKey(
        Indicator,
        verbose_name="指标",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="rules",
        help_text="规则适用的指标;不选指标则适用于下面所填计量单位的全部指标,两者都不填则适用于本年度全部指标。",
    )
    unit = models.CharField(
        "或:计量单位", max_length=10, blank=True, help_text="如“人”:适用于本年度以此为单位的全部指标。"
    )
    basis = models.CharField("取数口径", max_length=5, choices=Basis.choices, default=Basis.MONTH)
    operator = models.CharField("比较符", max_length=2, choices=Operator.choices, default=Operator.LE)
    bound = models.CharField("比较对象", max_length=16, choices=Bound.choices, blank=True)
    right_indicator = models.ForeignKey(
        Indicator,
        verbose_name="比较指标",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    constant = models.DecimalField(
        "固定数值", max_digits=VALUE_DIGITS, decimal_places=VALUE_PLACES, null=True, blank=True
    )
    factor = models.DecimalField(
        "倍数", max_digits=12, decimal_places=4, default=1, help_text="比较对象乘以此倍数后再比较。"
    )
    against = models.CharField("对比期", max_length=10, choices=Against.choices, blank=True)
    threshold = models.DecimalField(
        "阈值",
        max_digits=8,
        decimal_places=4,
        null=True,
        blank=True,
        help_text="变动幅度:相差超过几倍(如3);异常值:修正Z分数的上限(如3.5)。",
    )
    scope = models.CharField("适用单位", max_length=10, choices=Scope.choices, default=Scope.ALL)
    advice = models.CharField(
        "处理提示", max_length=200, blank=True, help_text="附在提示语之后,告诉填报人怎么办。"
    )
    # The rules every year starts with (indicators.rules.BUILT_IN); a copied year keeps the key.
    builtin = models.CharField("内置规则", max_length=40, blank=True, editable=False)
    is_active = models.BooleanField("启用", default=True)
    sort_order = models.PositiveIntegerField("排序", default=0)

    class Meta:
        verbose_name = "校验规则"
        verbose_name_plural = "校验规则"
        ordering = ["year", "sort_order", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(indicator__isnull=True) | Q(unit=""),
                name="rule_names_an_indicator_or_a_unit",
                violation_error_message="请选择一个指标,或填写计量单位(适用于该单位的全部指标),不能两个都填。",
            ),
            models.CheckConstraint(
                condition=Q(year__gte=YEAR_MIN, year__lte=YEAR_MAX),
                name="rule_year_in_range",
                violation_error_message=f"年度须在{YEAR_MIN}至{YEAR_MAX}之间。",
            ),
            models.CheckConstraint(
                condition=Q(factor__gt=0),
                name="rule_factor_positive",
                violation_error_message="倍数必须大于0。",
            ),
            models.UniqueConstraint(
                fields=["year", "builtin"], condition=~Q(builtin=""), name="rule_builtin_once_a_year"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.year}年 {self.name}({self.get_severity_display()})"


class SetChange(models.Model):
    """The history of the yearly indicator sets and their rules: who added, renamed, retired or changed
    what, when, from what to what, through which door."""

    class Action(models.TextChoices):
        ADD = "add", "新增"
        CHANGE = "change", "修改"
        RETIRE = "retire", "停用"
        RESTORE = "restore", "恢复启用"
        DELETE = "delete", "删除"
        COPY = "copy", "复制上年指标体系"

    class Subject(models.TextChoices):
        INDICATOR = "indicator", "指标"
        RULE = "rule", "校验规则"
        SET = "set", "年度指标体系"

    year = models.PositiveSmallIntegerField("年度")
    subject = models.CharField("对象", max_length=10, choices=Subject.choices)
    object_id = models.PositiveBigIntegerField("对象编号", null=True, blank=True)
    code = models.CharField("指标代码", max_length=64, blank=True)
    object_repr = models.CharField("对象名称", max_length=200)
    action = models.CharField("操作", max_length=10, choices=Action.choices)
    field = models.CharField("字段", max_length=50, blank=True)
    old_value = models.TextField("原值", blank=True)
    new_value = models.TextField("新值", blank=True)
    note = models.CharField("说明", max_length=200, blank=True)
    changed_at = models.DateTimeField("修改时间", default=timezone.now, db_index=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="修改人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    changed_by_name = models.CharField("修改人姓名", max_length=150, blank=True)
    channel = models.CharField("渠道", max_length=10, choices=Channel.choices)

    class Meta:
        verbose_name = "指标体系修改记录"
        verbose_name_plural = "指标体系修改记录"
        ordering = ["-changed_at", "-id"]
        indexes = [models.Index(fields=["year", "code"], name="setchange_year_code")]

    def __str__(self) -> str:
        return f"{self.changed_at:%Y-%m-%d %H:%M} {self.changed_by_name} {self.get_action_display()} {self.object_repr}"
