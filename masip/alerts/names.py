"""Family names reduced to comparable keys, and which of them are common.

Staff records hold one ``full_name``; people hold ``family_name``. A name is
reduced to keys: accents dropped, case folded, anything but letters removed;
a double-barrelled or multi-word name gives its whole form and each part, so
"Smith-Jones" matches "Jones". Parts shorter than three letters and name
particles ("van", "de", "al") are dropped: they match far too much.

A user's family name is taken to be the last word of their full name, which
is the usual form in the staff directories MASIP is fed from. A family name
written first ("Chen Wei") is missed rather than guessed at.
"""

import unicodedata

PARTICLES = frozenset(
    {"abu", "bin", "binti", "ibn", "van", "von", "der", "den", "del", "della", "dos"}
)
MIN_PART = 3

# Frequent family names in Great Britain, from public name-frequency tables. A
# match on one of these alerts only where the case is outside the user's
# allocation (see rules/casework.py). MASIP_ALERT_COMMON_SURNAME_PEOPLE adds
# names that are common in the local population, counted from the people on
# record.
_COMMON = """
    smith jones williams taylor brown davies evans wilson thomas johnson
    roberts robinson thompson wright walker white edwards hughes green hall
    lewis harris clarke patel jackson wood turner martin cooper hill ward
    morris moore clark lee king baker harrison morgan allen james scott
    phillips watson davis parker price bennett young griffiths mitchell kelly
    cook carter richardson bailey collins bell shaw murphy miller cox
    richards khan marshall anderson simpson ellis adams singh begum wilkinson
    foster chapman powell webb rogers gray mason ali hunt hussain campbell
    matthews owen palmer holmes mills barnes knight lloyd butler russell
    barker fisher stevens jenkins murray dixon harvey graham pearson ahmed
    fletcher walsh kaur gibson howard andrews stewart elliott reynolds saunders
    payne fox ford pearce day brooks west lawrence cole atkinson bradley
    spencer gill dawson ball burton o'brien watts rose booth perry ryan grant
    wells armstrong francis rees hayes hart hudson newman barrett webster hunter
    gregory carr lowe page marsh riley dunn woods parsons berry stone reid
    holland hawkins harding porter robertson newton oliver reed kennedy
    williamson bird gardner shah dean lane cooke bates henderson parry burgess
    bishop walton burns nicholson shepherd ross cross long freeman warren
    nicholls hamilton byrne sutton mcdonald yates hodgson robson curtis hopkins
    o'connor harper coleman watkins moss mccarthy chambers o'neill griffin
    sharp hardy wheeler potter osborne johnston gordon doyle wallace george
    jordan hutchinson rowe burke may pritchard gilbert willis higgins read
    miles stevenson stephenson hammond arnold buckley walters hewitt barber
    nelson slater austin sullivan whitehead mann frost lambert stephens blake
    akhtar lynch goodwin barton woodward thomson cunningham quinn barnett baxter
    bibi clayton nash greenwood jennings holt kemp poole gallagher bond
    stokes tucker davidson fowler heath norman middleton lees banks french
"""
COMMON_SURNAMES = frozenset(_COMMON.replace("'", "").casefold().split())


def _letters(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if c.isalpha()).casefold()


def name_keys(family_name: str) -> frozenset[str]:
    """Comparable keys for a family name: the whole and each usable part."""
    words = family_name.replace("-", " ").split()
    parts = [_letters(word) for word in words]
    keys = {p for p in parts if len(p) >= MIN_PART and p not in PARTICLES}
    whole = "".join(parts)
    if len(whole) >= MIN_PART:
        keys.add(whole)
    return frozenset(keys)


def user_family_name(full_name: str) -> str:
    """The last word of a full name (the family name in Western order)."""
    words = full_name.split()
    return words[-1] if len(words) >= 2 else ""


def is_listed_common(key: str) -> bool:
    return key in COMMON_SURNAMES
