"""Nothing POSIX-only in the package: learners run it on Windows too.

The standard library's POSIX-only modules are not importable on Windows, so
a module of `iris_keras` that imports one at any level fails there; the
folder lock is built on filelock, which picks the platform's own lock.
"""

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "iris_keras"
POSIX_ONLY = {"fcntl", "resource", "pwd", "grp", "termios", "tty", "pty", "posix", "syslog"}
MODULES = sorted(PACKAGE.rglob("*.py"))


def imported_names(path):
    """Every top-level module name `path` imports, at any depth of its code."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            yield node.module.split(".")[0]


@pytest.mark.parametrize("path", MODULES, ids=lambda path: str(path.relative_to(PACKAGE)))
def test_no_module_imports_a_posix_only_module(path):
    assert not set(imported_names(path)) & POSIX_ONLY


def test_the_scan_finds_a_posix_import(tmp_path):
    module = tmp_path / "lock.py"
    module.write_text("def f():\n    import fcntl\n    from resource import getrlimit\n")
    assert set(imported_names(module)) & POSIX_ONLY == {"fcntl", "resource"}
