"""Rules about which cases a user opens: shared family names, shared addresses,
unallocated volume."""

from typing import ClassVar

from django.conf import settings

from masip.alerts import addresses, names
from masip.alerts.models import RuleCode
from masip.alerts.rules.base import CASE_OPENED, EventContext, Finding
from masip.cases.models import CaseParticipant, ParticipantRole
from masip.people.models import Address, Person

WATCHED_ROLES = (ParticipantRole.VICTIM, ParticipantRole.PERPETRATOR)


class SurnameMatchRule:
    """A user opens a case whose victim or perpetrator shares their family name.

    Noise control: a match on a common family name (the built-in list of
    frequent British surnames, or one held by at least
    ``MASIP_ALERT_COMMON_SURNAME_PEOPLE`` people on record) alerts only when
    the case is outside the user's and their team's allocation; a rarer name
    alerts even on allocated work, where the right answer is usually to
    declare a conflict and hand the case on.
    """

    code: ClassVar[RuleCode] = RuleCode.SURNAME_MATCH
    event_types: ClassVar[frozenset[str]] = CASE_OPENED

    def evaluate(self, ctx: EventContext) -> Finding | None:
        reference = ctx.event.case_reference
        if not reference:
            return None
        mine = names.name_keys(names.user_family_name(ctx.subject_name))
        if not mine:
            return None
        matched = self._matches(reference, mine)
        if not matched:
            return None
        common = all(self._is_common(key) for key in matched.values())
        if common and ctx.is_allocated(reference):
            return None
        roles = " and ".join(
            sorted({ParticipantRole(role).label.lower() for role in matched})
        )
        return Finding(
            rule=self.code,
            case_reference=reference,
            summary=(
                f"Opened case {reference}, where the {roles} shares their family name."
            ),
        )

    @staticmethod
    def _matches(reference: str, mine: frozenset[str]) -> dict[str, str]:
        """Participant role -> the shared key, for the case's watched people."""
        rows = CaseParticipant.objects.filter(
            case__reference=reference, role__in=WATCHED_ROLES
        ).values_list("role", "person__family_name")
        found: dict[str, str] = {}
        for role, family_name in rows:
            shared = names.name_keys(family_name) & mine
            if shared:
                found[role] = min(shared)
        return found

    @staticmethod
    def _is_common(key: str) -> bool:
        if names.is_listed_common(key):
            return True
        threshold = settings.MASIP_ALERT_COMMON_SURNAME_PEOPLE
        held = Person.objects.filter(family_name__iexact=key)[:threshold].count()
        return held >= threshold


class AddressMatchRule:
    """A user opens a case where an address held for a person on it is at the
    user's own recorded home address.

    The user's postcode is matched against the case's addresses (current and
    former, of anyone on the case) through the keyed postcode blind index; only
    the addresses at that postcode are opened, to compare the first line.

    Noise control: the whole address matching (postcode and first line) alerts
    always, allocated work or not: the user should declare a conflict and hand
    the case on. The postcode alone (a neighbour, about fifteen homes share a
    postcode) alerts only when the case is outside the user's and their team's
    allocation. The summary says which of the two matched and for whom on the
    case, never the address itself.

    Staff with no home address on record (``accounts.StaffHomeAddress``) are
    not checked; addresses without a postcode are never matched.
    """

    code: ClassVar[RuleCode] = RuleCode.ADDRESS_MATCH
    event_types: ClassVar[frozenset[str]] = CASE_OPENED

    def evaluate(self, ctx: EventContext) -> Finding | None:
        reference = ctx.event.case_reference
        home = ctx.home_address
        if not reference or home is None or not home.postcode_index:
            return None
        at_postcode = list(
            Address.objects.filter(
                postcode_index=home.postcode_index,
                person__participations__case__reference=reference,
            )
            .only("seal_id", "person_id", "line_1")
            .distinct()
        )
        if not at_postcode:
            return None
        mine = addresses.line_key(home.line_1)
        same_home = {
            a.person_id
            for a in at_postcode
            if mine and addresses.line_key(a.line_1) == mine
        }
        if not same_home and ctx.is_allocated(reference):
            return None
        people = same_home or {a.person_id for a in at_postcode}
        roles = CaseParticipant.objects.filter(
            case__reference=reference, person_id__in=people
        ).values_list("role", flat=True)
        whom = " and ".join(
            sorted({ParticipantRole(role).label.lower() for role in roles})
        )
        what = (
            "matches the user's recorded home address"
            if same_home
            else "is at the user's recorded home postcode"
        )
        return Finding(
            rule=self.code,
            case_reference=reference,
            summary=(
                f"Opened case {reference}, where an address held for the {whom} {what}."
            ),
        )


class UnallocatedVolumeRule:
    """Many distinct cases opened outside the user's and their team's allocation.

    Applies to the roles whose work is allocated (``MASIP_ALERT_ALLOCATED_ROLES``):
    panel coordinators and auditors reach cases by stated purpose instead.
    """

    code: ClassVar[RuleCode] = RuleCode.UNALLOCATED_VOLUME
    event_types: ClassVar[frozenset[str]] = CASE_OPENED

    def evaluate(self, ctx: EventContext) -> Finding | None:
        reference = ctx.event.case_reference
        if not reference or ctx.event.role not in settings.MASIP_ALERT_ALLOCATED_ROLES:
            return None
        # Cheapest test first: most opens are of allocated work.
        if ctx.is_allocated(reference):
            return None
        threshold = settings.MASIP_ALERT_UNALLOCATED_CASES
        minutes = settings.MASIP_ALERT_UNALLOCATED_MINUTES
        first_open: dict[str, int] = {}
        for event in ctx.recent(CASE_OPENED, minutes):
            first_open.setdefault(event.case_reference, event.pk)
        first_open.pop("", None)
        if len(first_open) < threshold:
            return None
        outside = set(first_open) - ctx.allocated_references(set(first_open))
        if len(outside) < threshold:
            return None
        evidence = tuple(
            sorted(first_open[r] for r in outside if first_open[r] != ctx.event.pk)
        )
        return Finding(
            rule=self.code,
            summary=(
                f"Opened {len(outside)} cases outside their and their team's "
                f"allocation within {minutes} minutes."
            ),
            evidence=evidence,
        )
