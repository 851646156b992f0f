"""Finding people by name, alias or identifier without scanning every person.

The searches mean what the plain ``icontains`` filters always meant (a word
is found anywhere in a given name, family name or alias, case aside); only the
way the database gets there changes (ADR 0033):

* PostgreSQL answers a word of three or more characters from GIN trigram
  indexes on ``UPPER(given_name)``, ``UPPER(family_name)`` and
  ``UPPER(alias name)`` (migration ``people.0005``): the exact expressions
  Django's ``icontains`` compares, so the index answers the filter itself.
* SQLite narrows by FTS5 tables with the ``trigram`` tokenizer, kept in step
  by triggers, then applies the plain filter to the few rows left (FTS folds
  case more widely than SQLite's ``LIKE``, so the filter has the last word).
* Words shorter than three characters have no trigram: they are applied as
  the plain filter after the longer words have narrowed the rows. A search
  made only of short words takes the plain path, as before.

An identifier (phone number, email address, handle, vehicle registration,
reference) is matched exactly through its blind index, never through the
sealed value; a restricted one only counts for the people of cases where the
user sees victim contact details.
"""

import re
from collections.abc import Iterable, Sequence
from typing import Any

from django.db import connection
from django.db.models import BooleanField, Exists, OuterRef, Q, QuerySet
from django.db.models.expressions import RawSQL

from masip.access.permissions import Compartment
from masip.access.policy import Access
from masip.cases.models import CaseParticipant
from masip.crypto.blind import identifier_index
from masip.people.models import (
    Confidentiality,
    Person,
    PersonAlias,
    PersonIdentifier,
)

TRIGRAM = 3  # the shortest word an index can answer
# Restricted identifier matches are checked case by case; a number held on
# more cases than this finds the first ones only.
SEALED_CASES_CHECKED = 20
# Up to this many matches are checked against the user's reach by id (index
# lookups); more (a very common fragment) are left to the database to join.
CANDIDATES = 5000

Kind = PersonIdentifier.Kind
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
_HANDLE = re.compile(r"@[\w.\-]{1,60}")
_PHONE = re.compile(r"\+?[\d\s().\-]+")
# Letters and digits, both present: UK vehicle registrations (``AB12 CDE``,
# ``A123 BCD``) and agency references (``CRN X123456``, ``01/123456X``).
_REGISTRATION = re.compile(r"(?=[^\d]*\d)(?=.*[A-Za-z])[A-Za-z\d]{2,8}")
_REFERENCE = re.compile(r"(?=[^\d]*\d)[A-Za-z\d/\-]{4,20}")


def indexable(word: str) -> bool:
    return len(word) >= TRIGRAM


def selective(word: str) -> bool:
    """Two trigrams or more: likely to match few enough people to fetch by id
    (a lone trigram such as ``ack`` can match thousands)."""
    return len(word) > TRIGRAM


def _postgresql() -> bool:
    return connection.vendor == "postgresql"


def _fts_phrase(*words: str) -> str:
    """An FTS5 query matching rows holding every ``word`` as a substring."""
    return " AND ".join('"' + word.replace('"', '""') + '"' for word in words)


# Names and aliases ---------------------------------------------------------


def word_filter(word: str) -> Q:
    """The plain filter: ``word`` in the given name, family name or an alias."""
    alias = PersonAlias.objects.filter(person_id=OuterRef("pk"), name__icontains=word)
    return (
        Q(given_name__icontains=word)
        | Q(family_name__icontains=word)
        | Q(Exists(alias))
    )


def name_filter(word: str) -> Q:
    """The plain filter on the person's own names only."""
    return Q(given_name__icontains=word) | Q(family_name__icontains=word)


def _matching(words: Sequence[str], phrase: str | None) -> list[int] | None:
    """Ids of people in reach whose given or family name holds every one of
    ``words``, or who have an alias holding ``phrase``, through the trigram
    indexes even under row-level security (people 0006). ``None`` when more
    than ``CANDIDATES`` people match, or when no policy binds this connection
    (SQLite; a role that bypasses them), where the plain filters are answered
    from the indexes directly.

    Under the policies PostgreSQL checks every person's reach before a
    ``LIKE`` (it is not leakproof), so the plain filter would scan every
    person; the function matches as the owner and returns only people in
    reach. One query either way.
    """
    if not _postgresql():
        return None
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT CASE WHEN row_security_active('people_person')"
            " AND coalesce(current_setting('masip.trusted', true), '') <> 'on'"
            " THEN masip_people_matching(%s::text[], %s, %s) END",
            [list(words), phrase, CANDIDATES],
        )
        row = cursor.fetchone()
    return None if row is None or row[0] is None else list(row[0])


def _ids_with_word(word: str) -> Any:
    """Ids of people whose names or aliases may hold ``word`` (3+ characters):
    exactly on PostgreSQL (trigram indexes); a superset on SQLite (FTS5), for
    the plain filter to settle."""
    if _postgresql():
        matching = _matching([word], word)
        if matching is not None:
            return matching
        named = Person.objects.filter(name_filter(word)).order_by().values("pk")
        aliases = PersonAlias.objects.filter(name__icontains=word).order_by()
        aliased = aliases.values("person_id")
        return named.union(aliased)
    sql = (
        "SELECT rowid FROM people_person_fts WHERE people_person_fts MATCH %s "
        "UNION SELECT person_id FROM people_alias_fts WHERE people_alias_fts MATCH %s"
    )
    phrase = _fts_phrase(word)
    return RawSQL(sql, [phrase, phrase])  # noqa: S611 (constant SQL, bound words)  # nosec B611


def with_every_word(people: QuerySet[Person], words: Sequence[str]) -> QuerySet[Person]:
    """``people`` whose names or aliases hold every word: words of three or
    more characters through an index first, shorter ones then as the plain
    filter over what is left (over every person in reach when no word is long
    enough to index)."""
    for word in (w for w in words if indexable(w)):
        people = people.filter(pk__in=_ids_with_word(word))
        if not _postgresql():
            people = people.filter(word_filter(word))
    for word in (w for w in words if not indexable(w)):
        people = people.filter(word_filter(word))
    return people


def named_ids(words: Sequence[str]) -> QuerySet[Person, Any]:
    """Ids of people whose given or family name holds every word (some word
    must be ``indexable``)."""
    people = Person.objects.all()
    if _postgresql():
        matching = _matching([w for w in words if indexable(w)], None)
        if matching is not None:
            people = people.filter(pk__in=matching)
    else:
        long_words = [w for w in words if indexable(w)]
        sql = "SELECT rowid FROM people_person_fts WHERE people_person_fts MATCH %s"
        phrase = _fts_phrase(*long_words)
        people = people.filter(pk__in=RawSQL(sql, [phrase]))  # noqa: S611  # nosec B611
    for word in words:
        people = people.filter(name_filter(word))
    return people.order_by().values("pk")


def alias_ids(text: str) -> QuerySet[PersonAlias, Any]:
    """Ids of people with an alias holding ``text`` (``indexable``)."""
    aliases = PersonAlias.objects.filter(name__icontains=text)
    if _postgresql():
        matching = _matching([], text)
        if matching is not None:
            aliases = aliases.filter(person_id__in=matching)
    else:
        sql = "SELECT rowid FROM people_alias_fts WHERE people_alias_fts MATCH %s"
        phrase = _fts_phrase(text)
        aliases = aliases.filter(pk__in=RawSQL(sql, [phrase]))  # noqa: S611  # nosec B611
    return aliases.order_by().values("person_id")


def at_most(ids: QuerySet[Any, int]) -> list[int] | None:
    """The ids, or ``None`` if there are more than ``CANDIDATES``."""
    found = list(ids[: CANDIDATES + 1])
    return None if len(found) > CANDIDATES else found


def visible_people(access: Access, person_ids: list[int]) -> list[int]:
    """Those of ``person_ids`` on a case the user may open.

    Asked by id (the participants of these people, then which of their cases
    are visible) so the database looks up a few cases rather than joining
    every visible case to every participant.
    """
    pairs = list(
        CaseParticipant.objects.filter(person_id__in=person_ids).values_list(
            "person_id", "case_id"
        )
    )
    case_ids = sorted({case_id for _, case_id in pairs})
    open_cases = set(
        access.visible_cases().filter(pk__in=case_ids).values_list("pk", flat=True)
    )
    return sorted({pid for pid, case_id in pairs if case_id in open_cases})


# Identifiers ---------------------------------------------------------------


def identifier_kinds(text: str) -> list[str]:
    """The kinds of identifier ``text`` could be, by its shape (none for a name)."""
    text = text.strip()
    compact = "".join(text.split())
    kinds: list[str] = []
    if _EMAIL.fullmatch(text):
        kinds.append(Kind.EMAIL)
    if _HANDLE.fullmatch(text):
        kinds.append(Kind.SOCIAL_MEDIA)
    digits = sum(c.isdigit() for c in text)
    if _PHONE.fullmatch(text) and 7 <= digits <= 15:
        kinds.append(Kind.PHONE)
        if digits == 10:
            kinds.append(Kind.NHS_NUMBER)
    if _REGISTRATION.fullmatch(compact) and len(text.split()) <= 2:
        kinds.append(Kind.VEHICLE)
    if _REFERENCE.fullmatch(compact) and len(text.split()) <= 2:
        kinds.extend([Kind.POLICE_REF, Kind.PROBATION_REF, Kind.OTHER])
    return kinds


def identifier_indexes(text: str) -> list[str]:
    """Blind indexes to look ``text`` up by, one per kind it could be."""
    indexes = []
    for kind in identifier_kinds(text):
        indexes.append(identifier_index(kind, text))
        if kind == Kind.SOCIAL_MEDIA:  # handles are kept with or without the @
            indexes.append(identifier_index(kind, text.strip()[1:]))
    return [i for i in indexes if i]


def _identifier_rows(text: str) -> list[tuple[int, str]]:
    indexes = identifier_indexes(text)
    if not indexes:
        return []
    rows = PersonIdentifier.objects.filter(value_index__in=indexes).values_list(
        "person_id", "confidentiality"
    )
    return list(rows)


def standard_identifier_ids(text: str) -> list[int]:
    """People holding ``text`` as an identifier anyone on their cases may see."""
    return sorted(
        {
            pid
            for pid, conf in _identifier_rows(text)
            if conf == Confidentiality.STANDARD
        }
    )


def identifier_ids_for(access: Access, text: str) -> list[int]:
    """People on the user's visible cases holding ``text`` as an identifier
    the user may see there: a standard one on any visible case, a restricted
    one only on a case where the user sees victim contact details."""
    rows = _identifier_rows(text)
    standard = {pid for pid, conf in rows if conf == Confidentiality.STANDARD}
    sealed = {pid for pid, _ in rows} - standard
    found = set(_on_visible_cases(access, standard))
    if sealed:
        found |= _seen_sealed(access, sealed)
    return sorted(found)


def _on_visible_cases(access: Access, person_ids: Iterable[int]) -> list[int]:
    ids = list(person_ids)
    if not ids:
        return []
    return list(
        CaseParticipant.objects.filter(
            person_id__in=ids, case__in=access.visible_cases()
        )
        .values_list("person_id", flat=True)
        .distinct()
    )


def _seen_sealed(access: Access, person_ids: set[int]) -> set[int]:
    participations = (
        CaseParticipant.objects.filter(
            person_id__in=person_ids, case__in=access.visible_cases()
        )
        .select_related("case")
        .order_by("case_id", "person_id")
    )
    seen: set[int] = set()
    decided: dict[int, bool] = {}
    for participation in participations:
        case = participation.case
        if case.pk not in decided:
            if len(decided) >= SEALED_CASES_CHECKED:
                break
            decided[case.pk] = access.case_access(case).sees(Compartment.VICTIM_CONTACT)
        if decided[case.pk]:
            seen.add(participation.person_id)
    return seen


# References ----------------------------------------------------------------


def reference_prefix(text: str) -> Q:
    """Cases whose reference starts with ``text``, case aside, by the index.

    References are made upper case (``STK-7K3M-9QXR``), so for ASCII text
    this is the case-insensitive prefix match, answered from the reference's
    index: PostgreSQL's ``LIKE 'X%'`` uses its ``varchar_pattern_ops`` index,
    SQLite a range on the unique index. Other text keeps ``istartswith``.
    """
    if not text.isascii():
        return Q(reference__istartswith=text)
    prefix = text.upper()
    if _postgresql():
        # The pattern operators are leakproof (``LIKE`` is not), so the
        # ``varchar_pattern_ops`` index answers them even under row-level
        # security; ``startswith`` then settles the few rows in range.
        in_range = RawSQL(  # nosec B611: constant SQL, bound values
            '"reference" ~>=~ %s AND "reference" ~<~ %s',
            [prefix, prefix + "\U0010ffff"],
            output_field=BooleanField(),
        )
        return Q(in_range) & Q(reference__startswith=prefix)
    return Q(reference__gte=prefix, reference__lt=prefix + "\U0010ffff")
