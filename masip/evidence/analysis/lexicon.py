"""Phrase lists for the words an analysis looks for, and how they are matched.

Two lists live here, in plain words so that anyone can read and extend them:

* :data:`STOP_PHRASES`: the victim asking for contact to stop ("leave me
  alone", "I've blocked you"). Only the victim's messages are scanned for them.
* :data:`LANGUAGE_PHRASES`: threats, intimidation and common abusive insults.
  Only the perpetrator's messages are scanned for them.

A match is never a finding. A stop request found here is a message that
*reads like* one; a flagged message is one that a person must read in context.
Both lists miss anything worded differently, and both can match innocently.

How a phrase is written
-----------------------

* Words are separated by single spaces. In the text, any run of spaces and
  punctuation may stand between them ("leave me, alone!" matches
  "leave me alone"), but never the boundary between two messages.
* ``a/b/c`` is a choice of words in one place: ``stop messaging/texting me``.
* ``'`` is an apostrophe that may be straight, curly or left out: ``don't``
  matches "don't", "don\u2019t" (curly) and "dont".
* Matching ignores case, and a phrase only matches whole words: "kill you"
  does not match "skill you", and "kill" never matches "killing".

Known limits (tests show each)
------------------------------

* Negation ("don't", "do not", "never", "not") is only caught directly
  before a stop phrase: "please don't leave
  me alone" and "never stop calling me" are not stop requests, but "I am not
  saying leave me alone" is reported as one.
* Threat phrases are chosen to need an object or a plain threatening frame
  ("kill you", "I know where you live"), so that everyday figures of speech
  ("killing time", "this is killing me", "I could kill for a coffee") are not
  flagged. The price is that a threat worded any other way is missed.
* Phrases such as "you'll regret" or "watching you" are flagged even when
  meant kindly ("you'll regret missing this film"): that is why flags are for
  review, never a conclusion.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

# Between the words of a phrase: any run of characters that are neither word
# characters nor the separator the scanner puts between two messages.
SEPARATOR = "\x00"
_GAP = r"[^\w\x00]+"
_APOSTROPHE = "['\u2019\u2018`\u00b4]?"


class Category(enum.StrEnum):
    STOP = "stop"  # the victim asks for contact to stop
    BLOCK = "block"  # the victim says they have blocked the perpetrator
    THREAT = "threat"  # a threat of harm
    INTIMIDATION = "intimidation"  # watching, knowing where, "you'll regret"
    INSULT = "insult"  # common abusive insults


@dataclass(frozen=True, slots=True)
class Phrase:
    text: str
    category: Category


def _phrases(category: Category, texts: Iterable[str]) -> tuple[Phrase, ...]:
    return tuple(Phrase(text, category) for text in texts)


# The victim asking for contact to stop. A block statement is also a request
# to stop, and its time is when new numbers or accounts start to count.
STOP_PHRASES: tuple[Phrase, ...] = (
    *_phrases(
        Category.STOP,
        (
            "stop messaging/texting/calling/contacting/emailing/ringing me",
            "stop messaging/texting/calling/contacting/emailing/ringing",
            "stop harassing/following/watching me",
            "leave me alone",
            "don't contact/message/text/call/email me",
            "do not contact/message/text/call/email me",
            "never contact/message/text/call/email me again",
            "I want no contact",
            "I want no more contact",
            "I don't want any contact",
            "I don't want to hear from you",
            "no more contact",
            "stay away from me",
        ),
    ),
    *_phrases(
        Category.BLOCK,
        (
            "I've blocked you",
            "I have blocked you",
            "I blocked you",
            "I'm blocking you",
            "I am blocking you",
            "I've blocked your number/account",
            "I have blocked your number/account",
            "I blocked your number/account",
            "blocking your number/account",
            "you're blocked",
            "you are blocked",
        ),
    ),
)

# Threats, intimidation and abuse in the perpetrator's messages: flagged for
# a person to read, never taken as proof of anything.
LANGUAGE_PHRASES: tuple[Phrase, ...] = (
    *_phrases(
        Category.THREAT,
        (
            "kill you/u/yourself/her/him/them",
            "hurt you/u/yourself/her/him/them",
            "I'm coming for you",
            "I am coming for you",
            "you're dead",
            "you are dead",
            "you'll be dead",
            "you will be dead",
            "you're going to die",
            "make you pay",
            "burn your house/car/flat",
            "smash your face/head/car/windows",
            "break your legs/neck/face",
            "slit your throat",
            "if I can't have you nobody can",
            "nobody else will have you",
        ),
    ),
    *_phrases(
        Category.INTIMIDATION,
        (
            "you'll regret",
            "you will regret",
            "you're going to regret",
            "I'm watching you",
            "I am watching you",
            "watching you",
            "I know where you live",
            "I know where you work",
            "I know where you are",
            "I know where your mum/mother/dad/father/kids/children live",
            "I'll find you",
            "I will find you",
            "you can't hide",
            "you cannot hide",
            "watch your back",
            "you'd better watch",
            "wait and see what happens",
        ),
    ),
    *_phrases(
        Category.INSULT,
        (
            "bitch",
            "slag",
            "slut",
            "whore",
            "you stupid/ugly/fat/worthless/pathetic/useless cow/idiot/cunt/bitch",
            "you're worthless/pathetic/useless/nothing",
            "you are worthless/pathetic/useless/nothing",
            "piece of shit",
        ),
    ),
)

# Directly before a stop phrase, these undo it ("don't leave me alone").
# Checked only on a match, so it costs nothing on the millions that fail.
_NEGATION = re.compile(
    r"(?<!\w)(?:don" + _APOSTROPHE + r"t|do\s+not|never|not)\s+$", re.IGNORECASE
)
_NEGATION_REACH = 16  # characters before a match that the check looks at


def phrase_pattern(text: str) -> str:
    """The regular expression (without flags) for one phrase of a list."""
    words = []
    for word in text.lower().split(" "):
        choices = [
            re.escape(choice).replace("'", _APOSTROPHE) for choice in word.split("/")
        ]
        words.append(choices[0] if len(choices) == 1 else f"(?:{'|'.join(choices)})")
    # Every phrase starts and ends with a letter, so \b is "not inside a word".
    assert re.fullmatch(r"\w.*\w|\w", text), text
    return r"\b" + _GAP.join(words) + r"\b"


# Words too common to stand for a phrase in the quick first pass (see
# :class:`Lexicon`); a phrase made only of them is found by its choice words.
_COMMON = frozenset(
    [
        "i",
        "me",
        "my",
        "you",
        "your",
        "u",
        "he",
        "she",
        "her",
        "him",
        "it",
        "the",
        "a",
        "an",
        "to",
        "do",
        "not",
        "no",
        "are",
        "is",
        "be",
        "will",
        "can",
        "have",
        "if",
        "ll",
        "ve",
        "re",
        "m",
        "s",
        "t",
        "d",
        "get",
        "going",
        "want",
        "make",
        "better",
        "one",
        "know",
        "don",
        "on",
        "at",
        "in",
        "of",
        "where",
    ]
)


def anchors(text: str) -> tuple[str, ...]:
    """Literal pieces, one of which every match of the phrase contains.

    The first pass of a scan looks only for these (in lower case), which is
    far quicker than trying the whole list at every character. The piece is
    the phrase's least common word; for a choice of words, every choice.
    """
    best: tuple[bool, bool, int] | None = None
    chosen: tuple[str, ...] = ()
    for word in text.lower().split(" "):
        # Whatever apostrophe the text uses, the longest piece of the word
        # between apostrophes is always there.
        pieces = tuple(max(choice.split("'"), key=len) for choice in word.split("/"))
        common = all(piece in _COMMON for piece in pieces)
        score = (common, len(pieces) > 1, -min(len(piece) for piece in pieces))
        if best is None or score < best:
            best, chosen = score, pieces
    return chosen


@dataclass(frozen=True, slots=True)
class Match:
    """Words that matched, where they are in the message, and which phrase."""

    words: str
    start: int  # offset in the message text, in characters
    end: int
    phrase: Phrase


def _alternation(phrases: Sequence[tuple[int, Phrase]]) -> str:
    return "|".join(f"(?P<p{i}>{phrase_pattern(p.text)})" for i, p in phrases)


class Lexicon:
    """A phrase list, compiled for scanning many messages quickly.

    A scan has two passes. The first looks in the lower-cased text of all the
    messages at once for the :func:`anchors` of the phrases: a plain list of
    words, which the regular expression engine finds quickly. The second runs
    the full patterns, grouped by anchor, over only the messages the first
    pass found, and only the groups whose anchor the message contains. Trying
    every phrase at every character of a million messages would take minutes.
    ``pattern`` is the whole list as one expression (what a scan is tested
    against).
    """

    def __init__(self, phrases: Sequence[Phrase], *, negatable: bool = False) -> None:
        self.phrases = tuple(phrases)
        self.negatable = negatable
        numbered = list(enumerate(self.phrases))
        self.pattern = self._compile(numbered)
        by_anchor: dict[tuple[str, ...], list[tuple[int, Phrase]]] = {}
        for i, phrase in numbered:
            by_anchor.setdefault(anchors(phrase.text), []).append((i, phrase))
        self._patterns = [self._compile(members) for members in by_anchor.values()]
        self._anchor_words = [
            (word, g) for g, found in enumerate(by_anchor) for word in found
        ]
        self._groups_of: dict[str, list[int]] = {}
        for word, g in self._anchor_words:
            self._groups_of.setdefault(word, []).append(g)
        assert all(re.fullmatch(r"\w+", word) for word in self._groups_of)
        self._first_pass = re.compile(_trie(self._groups_of))

    def _compile(self, phrases: Sequence[tuple[int, Phrase]]) -> re.Pattern[str]:
        return re.compile(_alternation(phrases), re.IGNORECASE)

    def find(self, text: str) -> list[Match]:
        """Every match in one message, in order; overlapping matches give way
        to the one that starts first (or, starting together, the longer)."""
        lowered = text.lower()
        return self._run(text, {g for word, g in self._anchor_words if word in lowered})

    def scan(self, texts: Sequence[str]) -> list[tuple[int, list[Match]]]:
        """The messages among ``texts`` that match: (position in texts, matches).

        The first pass finds anchors in all the texts at once; a message is
        then searched only with the groups whose anchors it holds. Anchors
        are whole words (or the part of a word before an apostrophe) and
        the first pass tries longer anchors first, so no anchor that could
        start a match is hidden by another found at the same place.
        """
        lowered = SEPARATOR.join(texts).lower()
        groups_of = self._groups_of
        candidates: dict[int, set[int]] = {}
        position = last = 0
        for m in self._first_pass.finditer(lowered):
            start = m.start()
            # Lower-casing can lengthen a text (İ becomes i̇) but never adds
            # or drops a separator, so counting them gives the message.
            position += lowered.count(SEPARATOR, last, start)
            last = start
            candidates.setdefault(position, set()).update(groups_of[m.group()])
        found = []
        for position, groups in candidates.items():
            matches = self._run(texts[position], groups)
            if matches:
                found.append((position, matches))
        return found

    def _run(self, text: str, groups: set[int]) -> list[Match]:
        patterns = self._patterns
        found = [self._match(m) for g in groups for m in patterns[g].finditer(text)]
        if self.negatable and found:
            found = [m for m in found if not _negated(text, m.start)]
        if len(groups) < 2:
            return found
        found.sort(key=lambda m: (m.start, m.start - m.end))
        kept: list[Match] = []
        for match in found:
            if not kept or match.start >= kept[-1].end:
                kept.append(match)
        return kept

    def _match(self, m: re.Match[str]) -> Match:
        name = m.lastgroup
        assert name is not None  # every alternative is a named group
        return Match(m.group(), m.start(), m.end(), self.phrases[int(name[1:])])


def _trie(words: Iterable[str]) -> str:
    """One pattern for a set of literal words, sharing common beginnings.

    ``watch|watching`` becomes ``watch(?:ing)?``: greedy, so the longest word
    at a place is the one found, and the engine tries far fewer branches at
    each character than with a flat list (about a third quicker here).
    """
    root: dict[str, Any] = {}
    for word in words:
        node = root
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}
    return _trie_pattern(root)


def _trie_pattern(node: dict[str, Any]) -> str:
    ends = "" in node
    branches = [
        re.escape(char) + _trie_pattern(node[char]) for char in sorted(node) if char
    ]
    if not branches:
        return ""
    body = (
        branches[0] if len(branches) == 1 and not ends else f"(?:{'|'.join(branches)})"
    )
    return body + ("?" if ends else "")


def _negated(text: str, start: int) -> bool:
    """Whether "don't", "do not", "never" or "not" stands just before ``start``."""
    return _NEGATION.search(text, max(start - _NEGATION_REACH, 0), start) is not None


STOP_LEXICON = Lexicon(STOP_PHRASES, negatable=True)
LANGUAGE_LEXICON = Lexicon(LANGUAGE_PHRASES)
