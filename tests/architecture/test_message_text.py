"""No code decides on the text of a message: wording is for people and may be rephrased; behaviour
follows Problem.kind (see common/errors.py)."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SKIP = {".venv", "node_modules", "migrations", "tests", "vendor", "static"}
MESSAGE_NAMES = {"message", "messages"}


def project_files():
    for path in ROOT.rglob("*.py"):
        if not SKIP.intersection(path.relative_to(ROOT).parts):
            yield path


def _is_message(node) -> bool:
    return isinstance(node, ast.Attribute) and node.attr in MESSAGE_NAMES


def _decisions_on_text(tree) -> list[int]:
    lines = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Compare) and any(
            isinstance(op, (ast.In, ast.NotIn, ast.Eq, ast.NotEq)) for op in node.ops
        ):
            if any(_is_message(side) for side in [node.left, *node.comparators]):
                lines.append(node.lineno)
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr in {"startswith", "endswith", "find", "index", "count"}
            and _is_message(node.func.value)
        ):
            lines.append(node.lineno)
    return lines


def test_no_code_outside_tests_decides_on_message_text():
    found = [
        f"{path.relative_to(ROOT)}:{line}"
        for path in project_files()
        for line in _decisions_on_text(ast.parse(path.read_text(encoding="utf-8")))
    ]
    assert not found, "decides on message text (use Problem.kind): " + ", ".join(found)


def test_the_check_sees_a_decision_on_text():
    assert _decisions_on_text(ast.parse('if "权限" in p.message: pass'))
    assert _decisions_on_text(ast.parse('exc.message.startswith("只有")'))
