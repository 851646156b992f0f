"""The ``masip`` console command runs Django's management commands."""

import sys

import pytest

from masip.cli import main


@pytest.mark.django_db
def test_masip_runs_a_management_command(monkeypatch, capsys):
    monkeypatch.setattr(sys, "argv", ["masip", "check"])

    main()

    assert "System check identified no issues" in capsys.readouterr().out


def test_masip_reports_an_unknown_command(monkeypatch, capsys):
    monkeypatch.setattr(sys, "argv", ["masip", "no-such-command"])

    with pytest.raises(SystemExit) as exit_info:
        main()

    assert exit_info.value.code == 1
    assert "Unknown command" in capsys.readouterr().err
