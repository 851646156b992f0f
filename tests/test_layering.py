"""The architecture's rules, enforced: one door for data, and the import direction.

docs/architecture.md states the rules; these tests keep them true:

* views never reach for ``<Model>.objects``: they go through selectors and
  services, which start from the access policy;
* the audit app imports no domain app, so it can never be blocked by one;
* nothing imports ``reporting``, which only reads.
"""

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

MASIP = Path(__file__).resolve().parent.parent / "masip"
DOMAIN_APPS = ("accounts", "people", "cases", "incidents", "reporting", "demo")


def _modules(pattern: str) -> Iterator[Path]:
    yield from (p for p in MASIP.glob(pattern) if "tests" not in p.parts)


def _view_modules() -> list[Path]:
    found = [
        *_modules("*/views.py"),
        *_modules("*/*_views.py"),
        *_modules("*/views/*.py"),
    ]
    return sorted(set(found))


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text())
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


@pytest.mark.parametrize(
    "path", _view_modules(), ids=lambda p: str(p.relative_to(MASIP))
)
def test_views_do_not_query_models_directly(path):
    tree = ast.parse(path.read_text())

    uses = [
        node.lineno
        for node in ast.walk(tree)
        if isinstance(node, ast.Attribute) and node.attr == "objects"
    ]

    assert not uses, f"{path.name} uses .objects on lines {uses}; add a selector"


@pytest.mark.parametrize(
    "path", sorted(_modules("audit/**/*.py")), ids=lambda p: str(p.relative_to(MASIP))
)
def test_audit_imports_no_domain_app(path):
    imported = _imports(path)

    bad = {m for m in imported for app in DOMAIN_APPS if m.startswith(f"masip.{app}")}

    assert not bad, f"{path.name} imports {sorted(bad)}"


def test_nothing_imports_reporting():
    importers = [
        path
        for path in MASIP.rglob("*.py")
        if "reporting" not in path.parts
        and any(m.startswith("masip.reporting") for m in _imports(path))
    ]

    assert not importers, importers
