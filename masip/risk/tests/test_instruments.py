"""Instrument files: the built-in ones load; broken ones are refused by name."""

import textwrap

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError, SystemCheckError

from masip.risk.instruments import (
    BUILTIN_DIR,
    InstrumentError,
    load_dir,
    load_file,
    registry,
)

GOOD = """
code = "test-screen"
version = 1
title = "A test screen"
kind = "screen"
perspective = "police"
source = "Written for the tests."

[licence]
status = "masip"
note = "Ours."

[scoring]
method = "count"
levels = ["standard", "medium", "high"]
thresholds = [
  {level = "standard", min = 0},
  {level = "medium", min = 2},
  {level = "high", min = 3},
]

[[items]]
id = "threats"
topic = "threats.violence"
text = "Has the person threatened violence?"
answer = "yes_no_unknown"

[[items]]
id = "kill"
topic = "threats.kill"
text = "Has the person threatened to kill?"
answer = "yes_no_unknown"
raises_to = "high"

[[items]]
id = "fear"
topic = "victim.fear"
text = "Is the victim very frightened?"
answer = "yes_no"
weight = 2
"""


def write(folder, text, name="test-screen-v1.toml"):
    path = folder / name
    path.write_text(textwrap.dedent(text))
    return path


def problems_of(path):
    with pytest.raises(InstrumentError) as caught:
        load_file(path)
    return [str(p) for p in caught.value.problems]


def test_every_built_in_instrument_loads():
    instruments = load_dir(BUILTIN_DIR)

    codes = {i.code for i in instruments}
    assert {
        "masip-stalking-screen",
        "pcl-5",
        "victim-check-in",
        "structured-judgement",
        "s-dash",
        "sash",
    } <= codes
    for instrument in instruments:
        assert instrument.licensed == (not instrument.available)
        for item in instrument.items:
            assert item.topic


def test_licensed_instruments_ship_no_wording():
    for code in ("s-dash", "sash"):
        instrument = registry().get(code)
        assert instrument.licensed
        assert not any(item.text or item.help for item in instrument.items)
    assert all(not i.licensed for i in registry().usable())


def test_a_good_file_loads(tmp_path):
    instrument = load_file(write(tmp_path, GOOD))

    assert (instrument.key, instrument.scoring.levels) == (
        "test-screen-v1",
        ("standard", "medium", "high"),
    )
    assert instrument.item("fear").weight == 2


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (
            ('answer = "yes_no"\nweight = 2', 'answer = "maybe"\nweight = 2'),
            "test-screen-v1.toml, item 'fear': answer: 'maybe' is not one of",
        ),
        (
            ('text = "Is the victim very frightened?"\n', ""),
            "test-screen-v1.toml, item 'fear': needs its text",
        ),
        (
            ('id = "kill"', 'id = "threats"'),
            "test-screen-v1.toml, item 'threats': the id is used twice",
        ),
        (
            ('raises_to = "high"', 'raises_to = "extreme"'),
            "test-screen-v1.toml, item 'kill': raises_to 'extreme' is not a level",
        ),
        (
            ('{level = "high", min = 3}', '{level = "high", min = 1}'),
            "test-screen-v1.toml: thresholds must rise with the levels",
        ),
        (
            ('status = "masip"', 'status = "licensed"'),
            "item 'threats': a licensed instrument's wording is never shipped",
        ),
        (
            ('answer = "yes_no"\nweight = 2', 'answer = "text"'),
            "item 'fear': a text answer cannot be scored by 'count'",
        ),
        (
            ('kind = "screen"', 'kind = "screen"\ncolour = "red"'),
            "test-screen-v1.toml: Additional properties are not allowed ('colour'",
        ),
        (("version = 1", "version = 2"), "must be named test-screen-v2.toml"),
        (('title = "A test screen"', 'title = "A test'), "cannot be read as TOML"),
    ],
)
def test_a_broken_file_is_refused_naming_the_file_and_item(tmp_path, change, expected):
    old, new = change
    assert old in GOOD
    path = write(tmp_path, GOOD.replace(old, new, 1))

    problems = problems_of(path)

    assert any(expected in problem for problem in problems), problems


def test_every_broken_file_in_a_folder_is_reported(tmp_path):
    write(tmp_path, GOOD)
    write(tmp_path, GOOD.replace('code = "test-screen"', 'code = "other"'), "x.toml")
    write(tmp_path, "not toml at all [", "y.toml")

    with pytest.raises(InstrumentError) as caught:
        load_dir(tmp_path)

    files = {p.file for p in caught.value.problems}
    assert files == {"x.toml", "y.toml"}


def test_check_command_lists_good_files_and_fails_on_bad_ones(tmp_path, capsys):
    write(tmp_path, GOOD)
    call_command("instruments", "check", str(tmp_path))
    assert "ok  test-screen-v1.toml: A test screen, 3 items" in capsys.readouterr().out

    write(tmp_path, GOOD.replace('id = "kill"', 'id = "threats"'))
    with pytest.raises(CommandError, match="1 problem in instrument files"):
        call_command("instruments", "check", str(tmp_path))
    out = capsys.readouterr().out
    assert "BAD test-screen-v1.toml, item 'threats': the id is used twice" in out


def test_check_command_checks_the_built_in_files_by_default(capsys):
    call_command("instruments", "check")

    out = capsys.readouterr().out
    assert "ok  pcl-5-v1.toml" in out
    assert "ok  s-dash-v1.toml" in out
    assert "(wording not installed)" in out


def test_a_broken_instrument_stops_start_up(tmp_path, settings):
    write(tmp_path, GOOD.replace('answer = "yes_no"', 'answer = "maybe"'))
    settings.MASIP_INSTRUMENT_DIR = str(tmp_path)

    with pytest.raises(SystemCheckError) as caught:
        call_command("check", tag=["risk"])

    assert "test-screen-v1.toml, item 'fear'" in str(caught.value)
    registry.cache_clear()


def test_a_deployment_adds_the_wording_of_a_licensed_instrument(tmp_path, settings):
    instrument = registry().get("s-dash")
    lines = [
        f'[items.{item.id}]\ntext = "Local wording for {item.id}"\n'
        for item in instrument.items
    ]
    wording = tmp_path / "wording"
    wording.mkdir()
    write(wording, "\n".join(lines), name=f"{instrument.key}.toml")
    settings.MASIP_INSTRUMENT_WORDING_DIR = str(wording)
    registry.cache_clear()

    loaded = registry().get("s-dash")

    assert loaded.available
    assert loaded.items[0].text.startswith("Local wording for")
    assert loaded in registry().usable()
    registry.cache_clear()


def test_wording_that_misses_an_item_is_refused(tmp_path):
    instrument = registry().get("s-dash")
    first = instrument.items[0].id
    write(
        tmp_path,
        f'[items.{first}]\ntext = "Only one"\n[items.zz]\ntext = "x"\n',
        name=f"{instrument.key}.toml",
    )

    with pytest.raises(InstrumentError) as caught:
        load_file(BUILTIN_DIR / f"{instrument.key}.toml", wording_dir=tmp_path)

    text = " ".join(str(p) for p in caught.value.problems)
    assert "item 'zz': is not an item of the instrument" in text
    assert f"item '{instrument.items[1].id}': needs [items.<id>] with text" in text
