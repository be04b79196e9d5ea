"""Each register is declared once, on its model (registers.declaration.Register), and its doors are
built from that: the sheets keep the headers users' files carry, and a pair rule (`within`,
`on_or_after`) is both the database's CHECK and clean()'s message."""

from __future__ import annotations

from datetime import date, timedelta
from importlib import import_module

import pytest
from django.conf import settings
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import IntegrityError, models, transaction
from django.db.models import ExpressionWrapper, F
from django.test import RequestFactory

from accounts.models import User
from registers.validators import OnOrAfter, PairRule, Within
from tests.registers.test_contract import Kit, register_models

# The headers of every register's sheet, in order, as the bureau's files have them: a file exported
# before the registers were declared on their models imports unchanged.
HEADERS = {
    "employment.GigStation": ["系统编号", "驿站名称", "驿站层级", "区划代码", "区镇街道", "上级驿站", "建站日期", "运营中", "备注"],
    "employment.GigStationMonth": ["系统编号", "驿站名称", "年度", "月份", "服务人次", "零工登记人数", "发布岗位数", "政策咨询人次", "成功对接就业人数", "备注"],
    "employment.GuaranteeLoan": ["系统编号", "贷款编号", "借款人", "借款人类型", "区划代码", "区镇街道", "发放日期", "贷款金额(万元)", "贷款期限(月)", "带动就业人数", "备注"],
    "employment.ReturneeStartup": ["系统编号", "创业人", "创业项目名称", "区划代码", "区镇街道", "创业日期", "带动就业人数", "备注"],
    "employment.TrainingClass": ["系统编号", "培训班名称", "培训类型", "区划代码", "区镇街道", "开班日期", "结业日期", "培训人数", "结业人数", "备注"],
    "labor_relations.BlacklistEntry": ["系统编号", "用人单位", "统一社会信用代码", "区划代码", "列入日期", "列入事由", "移出日期", "备注"],
    "labor_relations.CreditRating": ["系统编号", "用人单位", "统一社会信用代码", "区划代码", "评价年度", "评价等级", "档案生成日期", "开具评价报告日期", "备注"],
    "labor_relations.InspectionComplaint": ["系统编号", "登记编号", "区划代码", "接待日期", "接待方式", "投诉举报人", "被投诉单位", "投诉事项", "涉及劳动者人数", "处理方式", "办结日期", "备注"],
    "labor_relations.DisputeCase": ["系统编号", "案号", "区划代码", "申请人", "被申请人(用人单位)", "受理日期", "办理阶段", "经批准延期", "审限届满日", "结案日期", "结案方式", "终局裁决", "涉案金额(元)", "备注"],
    "labor_relations.WageArrearsLead": ["系统编号", "线索编号", "区划代码", "接收日期", "被反映单位", "反映人数", "反映欠薪金额(元)", "办结日期", "转立案", "备注"],
    "labor_relations.WageArrearsCase": ["系统编号", "案号", "区划代码", "用人单位", "案件来源", "立案日期", "结案日期", "涉及劳动者人数", "追发工资待遇(元)", "移送公安", "申请法院强制执行", "备注"],
    "social_insurance.CardIssuance": ["区划代码", "年度", "月份", "三代社保卡发放张数", "电子社保卡签发张数", "备注"],
    "social_insurance.InsuredCount": ["区划代码", "年度", "月份", "险种", "参保人数", "备注"],
    "social_insurance.LandRequisitionEstimate": ["系统编号", "征地项目", "区划代码", "测算日期", "被征地农民人数", "补偿资金(万元)", "备注"],
    "social_insurance.UnemploymentInsuranceRate": ["执行起始日期", "执行截止日期", "单位费率(%)", "个人费率(%)", "政策文件", "备注"],
    "talent.CampusRecruitment": ["系统编号", "区划代码", "高校", "举办日期", "投递简历人数", "签约人数", "其中:硕士及以上", "其中:一本院校", "备注"],
    "talent.CertificationBody": ["系统编号", "机构名称", "机构类别", "备案(认定)日期", "备注"],
    "talent.CompetitionAward": ["系统编号", "竞赛名称", "获奖选手", "奖项", "备注"],
    "talent.RecruitmentPlan": ["系统编号", "区划代码", "年度", "招聘单位", "批复日期", "计划招聘岗位数", "报名人数", "聘用人数", "备注"],
    "talent.SkillCertificate": ["系统编号", "证书编号", "持证人姓名", "区划代码", "发证日期", "职业(工种)", "等级", "评价机构", "备注"],
    "talent.SkillCompetition": ["系统编号", "竞赛名称", "竞赛级别", "举办日期", "我市承办", "参赛人数", "参赛地区数", "备注"],
}  # fmt: skip

MODELS = {m._meta.label: m for m in register_models()}
RULES = [
    (label, rule) for label, m in MODELS.items() for rule in m._meta.constraints if isinstance(rule, PairRule)
]
RULE_IDS = [rule.name for _, rule in RULES]


ROUTES = {
    viewset.queryset.model: viewset
    for app in settings.DOMAIN_APPS
    for _, viewset, _ in import_module(f"{app}.api").ROUTES
}


def _resource(model: type[models.Model]):
    request = RequestFactory().get("/")
    return admin.site._registry[model].get_resource_classes(request)[0]()


def test_every_register_exports_the_headers_its_users_files_carry():
    assert sorted(HEADERS) == sorted(MODELS)
    for label, model in MODELS.items():
        assert _resource(model).get_export_headers() == HEADERS[label], label


def test_the_sheet_the_api_and_the_admin_form_write_the_same_fields():
    request = RequestFactory().get("/")
    request.user = User(is_superuser=True, is_staff=True)
    for label, model in MODELS.items():
        resource = _resource(model)
        sheet = {f.attribute for f in resource.fields.values() if not f.readonly} - {"id"}
        serializer = ROUTES[model].serializer_class()
        api = {name for name, f in serializer.fields.items() if not f.read_only}
        form = set(admin.site._registry[model].get_form(request).base_fields)
        assert sheet == api == form == {*model.register.fields, "remark"}, label


def _breaking(rule: PairRule) -> dict:
    """Values of the rule's two fields that break it."""
    if isinstance(rule, Within):
        return {rule.field: 2, rule.other: 1}
    assert isinstance(rule, OnOrAfter)
    return {rule.field: date(2024, 3, 1), rule.other: date(2024, 3, 5)}


@pytest.mark.parametrize(("label", "rule"), RULES, ids=RULE_IDS)
def test_a_pair_rule_is_refused_by_clean_in_the_shared_wording_without_a_query(
    label, rule, db, django_assert_num_queries
):
    record = MODELS[label](**_breaking(rule))
    with django_assert_num_queries(0), pytest.raises(ValidationError) as refused:
        record.clean()
    message = rule.problem(record)
    assert message in refused.value.message_dict[rule.field]
    assert ("不能大于" if isinstance(rule, Within) else "不能早于") in message


@pytest.mark.parametrize(("label", "rule"), RULES, ids=RULE_IDS)
def test_a_pair_rule_is_a_check_the_database_keeps_when_a_write_bypasses_the_service(
    label, rule, orgs, indicators
):
    record = Kit(label, orgs, None).create()
    if isinstance(rule, Within):
        breaking = F(rule.other) + 1
    else:
        breaking = ExpressionWrapper(F(rule.other) - timedelta(days=1), output_field=models.DateField())
    with pytest.raises(IntegrityError, match=rule.name), transaction.atomic():
        MODELS[label].objects.filter(pk=record.pk).update(**{rule.field: breaking})


def test_the_register_apps_need_no_migration_their_models_do_not_have(db):
    # The pair rules are CheckConstraints that migrations store as Django's own: a change to their
    # making shows here, as any model change without its migration does.
    apps = ["registers", "employment", "social_insurance", "talent", "labor_relations"]
    call_command("makemigrations", *apps, check=True, dry_run=True, verbosity=0)
