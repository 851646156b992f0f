"""The stop-request and threat/abuse phrase lists, including their limits."""

import random

import pytest

from masip.evidence.analysis.lexicon import (
    LANGUAGE_LEXICON,
    LANGUAGE_PHRASES,
    STOP_LEXICON,
    STOP_PHRASES,
    Category,
    anchors,
)


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("Please STOP messaging me!!", "STOP messaging me"),
        ("leave me, alone", "leave me, alone"),
        ("dont contact me", "dont contact me"),
        ("Don\u2019t call me", "Don\u2019t call me"),
        ("Do NOT contact me again.", "Do NOT contact me"),
        ("I want no contact with you", "I want no contact"),
        ("stop calling", "stop calling"),
        ("ive blocked you", "ive blocked you"),
        ("I have blocked your number", "I have blocked your number"),
    ],
)
def test_stop_phrases_match_whatever_the_case_and_punctuation(text, words):
    assert [m.words for m in STOP_LEXICON.find(text)] == [words]


@pytest.mark.parametrize(
    "text",
    [
        "please don't leave me alone",
        "never stop calling me",
        "I do not   stop texting you",
        "meet me at the bus stop",
        "I can't stand being alone",
    ],
)
def test_stop_phrases_ignore_negated_and_unrelated_text(text):
    assert STOP_LEXICON.find(text) == []


def test_stop_phrase_limit_negation_further_back_is_not_seen():
    # Documented limit: only a negation directly before the phrase counts.
    assert STOP_LEXICON.find("I'm not saying leave me alone")


def test_block_phrases_are_told_from_other_stop_requests():
    (block,) = STOP_LEXICON.find("I've blocked you")
    (stop,) = STOP_LEXICON.find("leave me alone")

    assert (block.phrase.category, stop.phrase.category) == (
        Category.BLOCK,
        Category.STOP,
    )


@pytest.mark.parametrize(
    ("text", "category"),
    [
        ("I will kill you", Category.THREAT),
        ("gonna hurt u", Category.THREAT),
        ("You\u2019re dead.", Category.THREAT),
        ("I know where you live", Category.INTIMIDATION),
        ("you'll regret this", Category.INTIMIDATION),
        ("I'm WATCHING you", Category.INTIMIDATION),
        ("you stupid cow", Category.INSULT),
    ],
)
def test_language_phrases_flag_threats_intimidation_and_insults(text, category):
    assert [m.phrase.category for m in LANGUAGE_LEXICON.find(text)] == [category]


@pytest.mark.parametrize(
    "text",
    [
        "just killing time before the train",
        "this is killing me",
        "my feet are killing me",
        "I could kill for a coffee",
        "what a skill you have",
        "the cows are in the field",
        "I was watching TV",
    ],
)
def test_language_phrases_leave_everyday_figures_of_speech_alone(text):
    assert LANGUAGE_LEXICON.find(text) == []


def test_language_limit_kind_words_can_still_be_flagged():
    # Documented limit: flags are for review because context decides.
    assert LANGUAGE_LEXICON.find("you'll regret missing this film")


def test_matches_give_positions_in_the_original_text():
    text = "Hi. İstanbul was fun, but I know where you live and I will kill you"

    matches = LANGUAGE_LEXICON.find(text)

    assert [text[m.start : m.end] for m in matches] == [m.words for m in matches]
    assert [m.words for m in matches] == ["I know where you live", "kill you"]


def test_scan_finds_what_searching_each_message_finds():
    rng = random.Random(7)
    words = " ".join(p.text for p in (*STOP_PHRASES, *LANGUAGE_PHRASES))
    vocabulary = [*words.replace("/", " ").split(), "x", "İ", "—", "don't"] * 2
    texts = [
        " ".join(rng.choices(vocabulary, k=rng.randint(0, 9))) for _ in range(3000)
    ]

    for lexicon in (STOP_LEXICON, LANGUAGE_LEXICON):
        scanned = dict(lexicon.scan(texts))

        assert scanned == {
            i: found for i, text in enumerate(texts) if (found := lexicon.find(text))
        }
        # find keeps every message the whole list would match (bar negation)
        if lexicon is LANGUAGE_LEXICON:
            assert set(scanned) == {
                i for i, text in enumerate(texts) if lexicon.pattern.search(text)
            }


def test_scan_of_nothing_finds_nothing():
    assert STOP_LEXICON.scan([]) == []
    assert STOP_LEXICON.scan(["", ""]) == []


def test_anchors_prefer_the_least_common_word():
    assert anchors("I know where you live") == ("live",)
    assert anchors("don't contact/message me") == ("contact", "message")
