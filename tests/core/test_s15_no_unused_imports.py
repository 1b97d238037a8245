"""No unused import in genoview/ (session 15: Real vs mutated's make_mutated imported read_vcf and vcf_edits, left
from before vcf_mutated took the VCF's reading). pyflakes' F401 for the project's own code, without a new dependency:
an import is used when its name is read in its scope (a function's own imports in that function; module imports
anywhere in the module, or listed in __all__ — assigned, annotated or extended with +=); a name written as a
string where typing reads it (an annotation, cast("Genome", x), TypeVar(bound="Genome")) is read; a line marked
noqa is left alone."""
from __future__ import annotations

import ast
import re
from pathlib import Path

import genoview

PACKAGE = Path(genoview.__file__).parent


def _names_read(scope: ast.AST) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(scope):
        if isinstance(node, ast.Name):
            names.add(node.id)
        annotations = []
        if isinstance(node, ast.arg) and node.annotation is not None:
            annotations.append(node.annotation)
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.returns is not None:
            annotations.append(node.returns)
        if isinstance(node, ast.AnnAssign):
            annotations.append(node.annotation)
        if isinstance(node, ast.Call):   # cast("Genome", x), TypeVar("T", bound="Genome"): typing reads the strings
            func = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
            if func == "cast" and node.args:
                annotations.append(node.args[0])
            elif func == "TypeVar":
                annotations += [*node.args[1:], *(k.value for k in node.keywords if k.arg == "bound")]
        for annotation in annotations:   # "Genome" written as a string: its import is used
            for part in ast.walk(annotation):
                if isinstance(part, ast.Constant) and isinstance(part.value, str):
                    names.update(re.findall(r"[A-Za-z_]\w*", part.value))
    return names


def _own_imports(scope: ast.AST, lines: list[str]):
    """(name, line) of the imports in ``scope`` itself, not in the functions nested in it."""
    stack = list(ast.iter_child_nodes(scope))
    while stack:
        node = stack.pop()
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
            continue
        stack.extend(ast.iter_child_nodes(node))
        if not isinstance(node, (ast.Import, ast.ImportFrom)) or getattr(node, "module", None) == "__future__":
            continue
        if any("noqa" in lines[i - 1] for i in range(node.lineno, (node.end_lineno or node.lineno) + 1)):
            continue
        for alias in node.names:
            if alias.name != "*":
                yield alias.asname or alias.name.split(".")[0], node.lineno


def unused_imports(text: str) -> list[tuple[str, int]]:
    tree = ast.parse(text)
    lines = text.splitlines()
    exported = {e.value for node in ast.walk(tree) if isinstance(node, (ast.Assign, ast.AnnAssign, ast.AugAssign))
                and node.value is not None
                and any(isinstance(t, ast.Name) and t.id == "__all__"
                        for t in (node.targets if isinstance(node, ast.Assign) else [node.target]))
                for e in ast.walk(node.value) if isinstance(e, ast.Constant)}
    found = []
    for scope in [tree, *(n for n in ast.walk(tree) if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef)))]:
        read = _names_read(scope) | (exported if scope is tree else set())
        found += [(name, line) for name, line in _own_imports(scope, lines) if name not in read]
    return found


def test_the_checker_finds_a_functions_unused_import_used_elsewhere_in_the_module():
    text = ("import os\nfrom x import used_at_top\n\ndef a():\n    from m import f, g\n    return f()\n\n"
            "def b():\n    from m import g\n    return g(), os\n\nused_at_top()\n")
    assert unused_imports(text) == [("g", 5)]
    assert unused_imports("from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from g import Genome\n"
                          "def f(x: 'Genome') -> None:\n    pass\n") == []


def test_the_checker_reads_all_the_ways_a_name_is_exported_or_named_in_a_string():
    """No false alarm (rev15b): __all__ annotated or extended with +=, and the strings typing reads in cast() and
    TypeVar(); an import used nowhere is still found."""
    assert unused_imports("from x import a\n__all__: list[str] = ['a']\n") == []
    assert unused_imports("from x import a, b\n__all__ = ['a']\n__all__ += ['b']\n") == []
    assert unused_imports("from typing import cast\nfrom g import Genome\ndef f(x):\n"
                          "    return cast('Genome', x)\n") == []
    assert unused_imports("import typing\nfrom g import Genome\nT = typing.TypeVar('T', bound='Genome')\n") == []
    assert unused_imports("from typing import TypeVar\nfrom g import A, B\nT = TypeVar('T', 'A', 'B')\n") == []
    assert unused_imports("from x import a, b\n__all__: list[str] = ['a']\n") == [("b", 1)]


def test_genoview_has_no_unused_import():
    found = [f"{path.relative_to(PACKAGE.parent)}:{line}: {name} imported but unused"
             for path in sorted(PACKAGE.rglob("*.py")) for name, line in unused_imports(path.read_text("utf-8"))]
    # a name imported to be re-exported (a package's __init__) is listed in __all__ or marked "# noqa: F401"
    assert not found, "\n".join(found) + "\n(a re-export: list it in __all__ or end its line with # noqa: F401)"
