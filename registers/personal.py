"""个人信息保护: the register fields that identify a person, masked where the reader does not need them.
A register declares its own (Register.personal: {field: kind}); lists (admin and API) show them masked
to everyone, and a single record shows them to those who keep the registers
(accounts.permissions.sees_personal_data), each opening in the security log."""

from __future__ import annotations

from collections.abc import Callable
from enum import StrEnum


class Personal(StrEnum):
    NAME = "name"  # 姓名: the surname's first character stays (张*, 欧***)
    ID_CARD = "id_card"  # 身份证号: the first 3 and last 4 stay (429***********1234)
    PHONE = "phone"  # 手机号码: the first 3 and last 4 stay (138****5678)


def _keep(text: str, head: int, tail: int) -> str:
    if len(text) <= head + tail:
        return text[:1] + "*" * (len(text) - 1)
    return text[:head] + "*" * (len(text) - head - tail) + (text[-tail:] if tail else "")


MASKS: dict[str, Callable[[str], str]] = {
    Personal.NAME: lambda text: _keep(text, 1, 0),
    Personal.ID_CARD: lambda text: _keep(text, 3, 4),
    Personal.PHONE: lambda text: _keep(text, 3, 4),
}


def masked(kind: str, value: object) -> object:
    """The value as a reader without the need sees it; blanks stay blank."""
    if not isinstance(value, str) or not value:
        return value
    return MASKS[kind](value.strip())
