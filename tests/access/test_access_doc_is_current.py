"""docs/access-control.md says what masip/access/roles.py does."""

from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError

from masip.access.docgen import render_access_doc
from masip.access.permissions import COMPARTMENT_LABELS, SCOPE_DESCRIPTIONS, Permission
from masip.access.roles import AGENCY_COMPARTMENTS, ROLES, AgencyKind

DOC = Path(settings.BASE_DIR) / "docs" / "access-control.md"


def test_access_doc_matches_the_role_definitions():
    assert DOC.read_text(encoding="utf-8") == render_access_doc(), (
        "docs/access-control.md is out of date: run `python manage.py access_doc`."
    )


def test_render_access_doc_names_every_role_verb_and_compartment():
    doc = render_access_doc()

    assert "Do not edit" in doc
    assert "python manage.py access_doc" in doc
    for role in ROLES.values():
        assert f"**{role.label}** (`{role.name.value}`)" in doc
        assert role.description in doc
        assert SCOPE_DESCRIPTIONS[role.scope] in doc
    for permission in Permission:
        assert f"(`{permission.value}`)" in doc
    for label in COMPARTMENT_LABELS.values():
        assert label in doc
    for kind in AgencyKind:
        assert f"| {kind.label} |" in doc


def test_render_access_doc_matrix_ticks_follow_the_roles():
    doc = render_access_doc()
    header = _line(doc, "| Verb |")
    roles = [cell.strip() for cell in header.strip("|").split("|")][1:]

    for permission in Permission:
        row = _line(doc, f"(`{permission.value}`)")
        ticks = [cell.strip() == "✓" for cell in row.strip("|").split("|")][1:]
        expected = [
            permission in role.permissions
            for label in roles
            for role in ROLES.values()
            if role.label == label
        ]
        assert ticks == expected, permission


def test_render_access_doc_agency_table_follows_agency_compartments():
    doc = render_access_doc()

    police = _line(doc, "| Police force |")
    probation = _line(doc, "| Probation service |")

    assert police.count("✓") == len(AGENCY_COMPARTMENTS[AgencyKind.POLICE]) == 2
    assert probation.count("✓") == 0


def test_access_doc_command_writes_then_checks(tmp_path, capsys):
    path = tmp_path / "access-control.md"

    call_command("access_doc", "--output", str(path))
    call_command("access_doc", "--check", "--output", str(path))

    assert path.read_text(encoding="utf-8") == render_access_doc()
    assert "is up to date" in capsys.readouterr().out


@pytest.mark.parametrize("drift", ["edited", "missing"])
def test_access_doc_check_fails_when_the_file_drifts(tmp_path, drift):
    path = tmp_path / "access-control.md"
    if drift == "edited":
        path.write_text(render_access_doc().replace("✓", "", 1), encoding="utf-8")

    with pytest.raises(CommandError, match="out of date") as raised:
        call_command("access_doc", "--check", "--output", str(path))

    assert raised.value.returncode == 1


def _line(doc: str, text: str) -> str:
    return next(line for line in doc.splitlines() if text in line)
