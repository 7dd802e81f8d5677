"""The package keeps the shape its readers rely on: files small enough to read
in one sitting, short functions, thin views, and imports at the top of a
module (inside a function only to break a genuine cycle, and then saying so)."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import mediahub

PACKAGE = Path(mediahub.__file__).parent
FILE_MAX = 400
FUNCTION_MAX = 60
VIEW_MAX = 30
FUNCTION_IMPORTS_MAX = 14  # "under 15"


def _modules() -> Iterator[Path]:
    for path in sorted(PACKAGE.rglob("*.py")):
        if "migrations" not in path.relative_to(PACKAGE).parts:
            yield path


def _functions(tree: ast.AST) -> Iterator[ast.FunctionDef | ast.AsyncFunctionDef]:
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            yield node


def _is_view(node: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
    return any(".route(" in ast.unparse(d) for d in node.decorator_list)


def _where(path: Path, node: ast.AST) -> str:
    return f"{path.relative_to(PACKAGE.parent)}:{getattr(node, 'lineno', 0)}"


def test_no_module_is_longer_than_400_lines():
    long = {
        str(p.relative_to(PACKAGE.parent)): n
        for p in _modules()
        if (n := len(p.read_text().splitlines())) > FILE_MAX
    }
    assert long == {}


def test_no_function_is_longer_than_60_lines_and_no_view_than_30():
    too_long = []
    for path in _modules():
        for node in _functions(ast.parse(path.read_text())):
            lines = node.end_lineno - node.lineno + 1
            limit = VIEW_MAX if _is_view(node) else FUNCTION_MAX
            if lines > limit:
                too_long.append(f"{_where(path, node)} {node.name}: {lines} > {limit}")
    assert too_long == []


def _function_level_imports() -> Iterator[tuple[Path, ast.stmt, str]]:
    for path in _modules():
        source = path.read_text()
        lines = source.splitlines()
        for func in _functions(ast.parse(source)):
            for node in ast.walk(func):
                if isinstance(node, ast.Import | ast.ImportFrom):
                    yield path, node, lines[node.lineno - 1]


def test_imports_inside_functions_are_few_and_each_says_which_cycle_it_breaks():
    found = list(_function_level_imports())
    assert len(found) <= FUNCTION_IMPORTS_MAX, [_where(p, n) for p, n, _ in found]
    unexplained = [_where(p, n) for p, n, line in found if "# cycle:" not in line]
    assert unexplained == []
