"""The makings of made-up demo figures and records, pure (no database): shares that add up exactly,
the townships' base weights, made-up names. Below demo.services and demo.current_year, and what the
domain apps' demo loaders take from the demo."""

from __future__ import annotations

import random
from decimal import Decimal

BASE_WEIGHT = {"street": 1.6, "town": 1.0, "district": 0.5}

# The made-up names the registers' demo records carry (borrowers, applicants, certificate holders).
SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程魏苏吕丁任沈姚卢"
)
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华建国红梅志文斌辉玲燕鹏飞兰凤云波宇浩亮俊峰婷雪琳"


def person_name(rng: random.Random) -> str:
    """A made-up Chinese name of two or three characters."""
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2))))


def split_exactly(total: Decimal, weights: list[float], places: int = 0) -> list[Decimal]:
    """Split total into parts proportional to weights that add up to total exactly
    (largest remainder, in units of 10^-places)."""
    unit = Decimal(1).scaleb(-places)
    units = int(total / unit)
    raw = [units * w / sum(weights) for w in weights]
    parts = [int(r) for r in raw]
    for i in sorted(range(len(raw)), key=lambda i: raw[i] - parts[i], reverse=True)[: units - sum(parts)]:
        parts[i] += 1
    return [Decimal(p) * unit for p in parts]
