"""The committed type stubs cover the extension module, and the package's __all__ is real."""
import ast
import importlib.util
import inspect
import subprocess
import sys
from pathlib import Path

import pytest

import infogap
from infogap import _core

STUB = Path(infogap.__file__).with_name("_core.pyi")


def stub_names():
    tree = ast.parse(STUB.read_text(encoding="utf-8"))
    top, members = set(), {}
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.ClassDef)):
            top.add(node.name)
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            top.add(node.target.id)
        elif isinstance(node, ast.Assign):
            top.update(t.id for t in node.targets if isinstance(t, ast.Name))
        if isinstance(node, ast.ClassDef):
            names = set()
            for item in node.body:
                if isinstance(item, ast.FunctionDef):
                    names.add(item.name)
                elif isinstance(item, ast.AnnAssign) and isinstance(item.target, ast.Name):
                    names.add(item.target.id)
            members[node.name] = names
    return top, members


def public(names):
    return {n for n in names if not n.startswith("_")}


def test_every_public_name_of_core_is_in_the_stub():
    top, _ = stub_names()
    missing = public(dir(_core)) - top
    assert not missing, f"not in _core.pyi (run bindings/python/tools/update_stubs.py): {sorted(missing)}"
    stale = public(top) - public(dir(_core))
    assert not stale, f"in _core.pyi but not in the module: {sorted(stale)}"


def test_every_public_member_of_core_classes_is_in_the_stub():
    _, members = stub_names()
    for name, cls in inspect.getmembers(_core, inspect.isclass):
        if issubclass(cls, BaseException):
            continue
        mine = public(n for n in vars(cls))
        missing = mine - members.get(name, set())
        assert not missing, f"{name}: {sorted(missing)} not in _core.pyi"


def test_package_exports_exist():
    for name in infogap.__all__:
        assert hasattr(infogap, name), name
    assert infogap.__version__ == _core.__version__
    assert Path(infogap.__file__).with_name("py.typed").exists()


@pytest.mark.skipif(importlib.util.find_spec("mypy") is None, reason="mypy (Debian package) not installed")
def test_mypy_accepts_the_package_and_the_stub():
    root = Path(infogap.__file__).resolve().parent.parent
    p = subprocess.run([sys.executable, "-m", "mypy", "--ignore-missing-imports", "--no-incremental",
                        "--cache-dir=/dev/null", "-p", "infogap"], cwd=root, capture_output=True, text=True,
                       timeout=600)
    assert p.returncode == 0, p.stdout + p.stderr
