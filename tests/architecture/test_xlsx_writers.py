"""Every workbook the portal writes comes from common.xlsx (new_workbook, SafeWorkbook), whose save
protects every cell against formula injection. A module making its own openpyxl Workbook, or loading one
to save again, would write around it."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SKIP = {".venv", "node_modules", "migrations", "tests", "vendor", "static", "benchmarks"}
THE_WRITER = ROOT / "common" / "xlsx.py"
FORBIDDEN = {"Workbook", "load_workbook"}


def _project_files():
    for path in ROOT.rglob("*.py"):
        if not SKIP.intersection(path.relative_to(ROOT).parts) and path != THE_WRITER:
            yield path


def _workbooks_made(tree: ast.AST) -> list[int]:
    lines = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("openpyxl"):
            if any(alias.name in FORBIDDEN for alias in node.names):
                lines.append(node.lineno)
        elif (
            isinstance(node, ast.Attribute)
            and node.attr in FORBIDDEN
            and isinstance(node.value, ast.Name)
            and node.value.id == "openpyxl"
        ):
            lines.append(node.lineno)
    return lines


def test_no_module_but_common_xlsx_makes_or_loads_an_openpyxl_workbook():
    found = [
        f"{path.relative_to(ROOT)}:{line}"
        for path in _project_files()
        for line in _workbooks_made(ast.parse(path.read_text(encoding="utf-8")))
    ]
    assert not found, "write workbooks with common.xlsx.new_workbook / workbook_bytes: " + ", ".join(found)


def test_the_check_sees_a_workbook_made_around_the_writer():
    assert _workbooks_made(ast.parse("from openpyxl import Workbook"))
    assert _workbooks_made(ast.parse("from openpyxl.reader.excel import load_workbook"))
    assert _workbooks_made(ast.parse("import openpyxl\nbook = openpyxl.Workbook()"))
    assert not _workbooks_made(ast.parse("from common.xlsx import new_workbook"))
