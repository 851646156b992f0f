"""Scoring: documented thresholds, and a risk answer never lowers a score."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from masip.risk.instruments import BUILTIN_DIR, YES_NO, load_dir, load_file
from masip.risk.scoring import answer_errors, score
from masip.risk.tests.test_instruments import GOOD, write

BUILT_IN = {i.code: i for i in load_dir(BUILTIN_DIR)}
SCORED = [i for i in BUILT_IN.values() if i.scoring.method != "none"]


def _answer(item):
    """A strategy for any valid answer to ``item``."""
    if item.answer == "yes_no":
        return st.sampled_from(["yes", "no"])
    if item.answer == "yes_no_unknown":
        return st.sampled_from(["yes", "no", "unknown"])
    if item.answer == "scale":
        return st.integers(item.minimum, item.maximum)
    if item.answer == "choice":
        return st.sampled_from([c.value for c in item.choices])
    if item.answer == "date":
        return st.dates().map(lambda d: d.isoformat())
    return st.text(min_size=1, max_size=20).filter(str.strip)


@st.composite
def answered(draw, instrument):
    answers = {}
    for item in instrument.items:
        if draw(st.booleans()) or item.required:
            answers[item.id] = draw(_answer(item))
    return answers


def _riskier(instrument, item, value):
    """A more risky answer than ``value`` (None if there is none)."""
    if item.answer in YES_NO:
        return "yes" if value != "yes" else None
    if item.answer == "scale":
        return value + 1 if value is None or value < item.maximum else None
    if item.answer == "choice":
        rank = {name: n for n, name in enumerate(instrument.scoring.levels)}
        current = next((c for c in item.choices if c.value == value), None)
        floor = rank.get(current.level, -1) if current and current.level else -1
        higher = [c for c in item.choices if c.level and rank[c.level] > floor]
        return higher[0].value if higher else None
    return None


def _rank(instrument, level):
    return -1 if level is None else instrument.scoring.levels.index(level)


@pytest.mark.parametrize("code", sorted(i.code for i in SCORED))
@settings(max_examples=200, deadline=None)
@given(data=st.data())
def test_a_risk_answer_never_lowers_the_score_or_level(code, data):
    instrument = BUILT_IN[code]
    answers = data.draw(answered(instrument))
    item = data.draw(st.sampled_from([i for i in instrument.items if i.scored]))
    riskier = _riskier(instrument, item, answers.get(item.id))
    if riskier is None:
        return
    before = score(instrument, answers)

    after = score(instrument, {**answers, item.id: riskier})

    if before.total is not None:
        assert after.total >= before.total
    assert _rank(instrument, after.level) >= _rank(instrument, before.level)


@settings(max_examples=200, deadline=None)
@given(yes=st.sets(st.sampled_from(["q1", "q2", "q3", "q4", "q5", "q6"])))
def test_thresholds_map_as_documented(tmp_path_factory, yes):
    # The screen's documented bands, on a six-item instrument of our own.
    folder = tmp_path_factory.mktemp("instrument")
    items = "".join(
        f'[[items]]\nid = "q{n}"\ntopic = "t.q{n}"\ntext = "Question {n}?"\n'
        'answer = "yes_no"\n'
        for n in range(1, 7)
    )
    head = GOOD.split("[[items]]")[0]
    instrument = load_file(write(folder, head + items))

    result = score(
        instrument, {f"q{n}": "yes" if f"q{n}" in yes else "no" for n in range(1, 7)}
    )

    expected = "standard" if len(yes) < 2 else "medium" if len(yes) < 3 else "high"
    assert (result.total, result.level) == (len(yes), expected)


def test_the_stalking_screen_bands_and_floors():
    screen = BUILT_IN["masip-stalking-screen"]
    plain = [i for i in screen.items if i.raises_to is None and i.weight == 1]
    floors = {i.id: i.raises_to for i in screen.items if i.raises_to}
    no = dict.fromkeys((i.id for i in screen.items), "no")

    def with_yes(count):
        return {**no, **{i.id: "yes" for i in plain[:count]}}

    assert score(screen, no).level == "standard"
    assert score(screen, with_yes(4)).level == "standard"
    assert score(screen, with_yes(5)).level == "medium"
    assert score(screen, with_yes(10)).level == "high"
    for item_id, floor in floors.items():
        result = score(screen, {**no, item_id: "yes"})
        assert result.level == floor
        assert result.raised_by == (item_id,)


def test_pcl5_totals_clusters_and_its_cut_point():
    pcl5 = BUILT_IN["pcl-5"]
    answers = {item.id: 2 for item in pcl5.items}  # 20 items x 2 = 40

    result = score(pcl5, answers)

    assert result.total == 40
    assert sum(result.clusters.values()) == 40
    assert set(result.clusters) == {
        "intrusion",
        "avoidance",
        "cognition_mood",
        "arousal",
    }
    assert result.cut_points == ("probable_ptsd",)
    low = score(pcl5, {**answers, **{i.id: 1 for i in pcl5.items[:8]}})
    assert low.total == 32
    assert low.cut_points == ()


def test_structured_judgement_takes_the_highest_domain_rating():
    spj = BUILT_IN["structured-judgement"]
    ratings = [i for i in spj.items if i.scored]
    answers = {i.id: "low" for i in ratings}

    assert score(spj, answers).level == "standard"
    assert score(spj, {**answers, ratings[-1].id: "high"}).level == "high"


def test_answer_errors_say_what_to_do():
    check_in = BUILT_IN["victim-check-in"]
    scale = next(i for i in check_in.items if i.answer == "scale")

    errors = answer_errors(check_in, {scale.id: 99, "nonsense": "yes"})

    low, high = scale.minimum, scale.maximum
    assert errors[scale.id] == f"Choose between {low} and {high}."
    assert errors["nonsense"] == "This is not a question of this form."
    assert all(
        errors[i.id] == "Answer this question."
        for i in check_in.items
        if i.required and i.id != scale.id
    )
    assert answer_errors(check_in, data_for(check_in)) == {}


def data_for(instrument):
    answers = {}
    for item in instrument.items:
        if item.answer == "scale":
            answers[item.id] = item.minimum
        elif item.answer == "text":
            answers[item.id] = "Fine."
    return answers
