"""The 等保 compliance table (docs/security/dengbao-level3.md) stays true: each of the ten requirements
of 安全计算环境 the issue names has its section, every row of the table names at least one test, and
every test it names exists (a renamed or deleted test fails here, not in front of the assessor)."""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
TABLE = ROOT / "docs" / "security" / "dengbao-level3.md"
SECTIONS = (
    "身份鉴别",
    "访问控制",
    "安全审计",
    "入侵防范",
    "恶意代码防范",
    "数据完整性",
    "数据保密性",
    "数据备份恢复",
    "剩余信息保护",
    "个人信息保护",
)
REFERENCE = re.compile(r"`(tests/[\w/]+\.py)(?:::(\w+))?`")


def _rows() -> list[tuple[str, str]]:
    """(section, row) for every body row of every table."""
    rows, section = [], ""
    for line in TABLE.read_text(encoding="utf-8").splitlines():
        if line.startswith("## "):
            section = line[3:]
        elif line.startswith("| ") and not line.startswith(("| 条款", "| ---")):
            rows.append((section, line))
    return rows


def _test_names(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return {node.name for node in ast.walk(tree) if isinstance(node, ast.FunctionDef)}


def test_every_requirement_has_its_section():
    headings = {section for section, _ in _rows()}
    assert [name for name in SECTIONS if not any(h.startswith(name) for h in headings)] == []


def test_every_row_names_a_test_and_every_test_named_exists():
    missing = []
    for section, row in _rows():
        found = REFERENCE.findall(row)
        if not found:
            missing.append(f"{section}: a row without a test: {row[:60]}")
        for path, name in found:
            file = ROOT / path
            if not file.exists():
                missing.append(f"{section}: {path} does not exist")
            elif name and name not in _test_names(file):
                missing.append(f"{section}: {path}::{name} does not exist")
    assert missing == [], "\n".join(missing)
