"""Social insurance services. The unemployment-insurance calculator reads the dated rate records,
never a rate written in code, so a new policy period is a record the bureau adds in the admin."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import Q

from common.errors import PortalError
from common.numbers import round_half_up

from .models import UnemploymentInsuranceRate

FEN = 2  # contributions are paid to the fen (分)


@dataclass(frozen=True)
class UnemploymentContribution:
    payroll: Decimal
    on: date
    rate: UnemploymentInsuranceRate
    employer: Decimal
    individual: Decimal
    # The rate in force just before this one, and what the employer pays less than it would have.
    previous_rate: UnemploymentInsuranceRate | None
    employer_saving: Decimal | None

    @property
    def total(self) -> Decimal:
        return self.employer + self.individual


def unemployment_rate_in_force(on: date) -> UnemploymentInsuranceRate | None:
    return (
        UnemploymentInsuranceRate.objects.filter(valid_from__lte=on)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=on))
        .first()
    )


def _share(payroll: Decimal, rate_percent: Decimal) -> Decimal:
    return round_half_up(payroll * rate_percent / 100, FEN)


def unemployment_contribution_calculate(*, payroll: Decimal, on: date) -> UnemploymentContribution:
    """Employer and individual unemployment-insurance contributions on a payroll (元) at the rate in
    force on that date, each rounded half up to the fen. The saving is the difference between the
    amounts payable (each rounded), because that is what the employer actually pays less."""
    if payroll < 0:
        raise PortalError("缴费工资总额不能为负数。", field="payroll")
    rate = unemployment_rate_in_force(on)
    if rate is None:
        raise PortalError(
            f"{on.year}年{on.month}月{on.day}日没有正在执行的失业保险费率,请先在后台登记该期间的费率。",
            field="date",
        )
    employer = _share(payroll, rate.employer_rate)
    previous = (
        UnemploymentInsuranceRate.objects.filter(valid_from__lt=rate.valid_from)
        .order_by("-valid_from")
        .first()
    )
    saving = _share(payroll, previous.employer_rate) - employer if previous else None
    return UnemploymentContribution(
        payroll=payroll,
        on=on,
        rate=rate,
        employer=employer,
        individual=_share(payroll, rate.individual_rate),
        previous_rate=previous,
        employer_saving=saving,
    )
