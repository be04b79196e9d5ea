"""The unified social credit code (统一社会信用代码, GB 32100-2015): 18 characters from a 31-symbol
alphabet (digits and capitals without I, O, Z, S, V), the last one a check character over the first 17.
The bureau copies codes by hand from licences, so a mistyped character is caught here, not later when
the blacklist is pushed to 信用湖北 and bounced."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
PATTERN = re.compile(rf"^[{ALPHABET}]{{18}}$")


def credit_code_check_char(first17: str) -> str:
    remainder = sum(ALPHABET.index(c) * w for c, w in zip(first17, WEIGHTS, strict=True)) % 31
    return ALPHABET[(31 - remainder) % 31]


def validate_credit_code(value: str) -> None:
    if not PATTERN.match(value or ""):
        raise ValidationError(
            "统一社会信用代码须为18位,由数字和大写字母组成(不含I、O、Z、S、V)。", code="format"
        )
    if credit_code_check_char(value[:17]) != value[17]:
        raise ValidationError("统一社会信用代码校验位不正确,请核对。", code="check")
