"""Bulk verbs reach only through the membership that grants them (policy rule 1)."""

from masip.access.permissions import Permission
from masip.access.policy import Access
from masip.access.roles import RoleName
from masip.accounts.tests.factories import MembershipFactory
from masip.cases.tests.factories import BreakGlassGrantFactory


def test_visible_cases_granting_keeps_to_the_granting_membership(cast):
    # The Police A manager also works Police B's cases, as a case worker.
    MembershipFactory(
        user=cast.lead_manager, agency=cast.police_b, role=RoleName.CASE_WORKER
    )
    access = Access(cast.lead_manager)

    exportable = set(access.visible_cases_granting(Permission.EXPORT_CSV))

    assert set(access.visible_cases()) == {cast.case, cast.other_case}
    assert exportable == {cast.case}


def test_visible_cases_granting_is_empty_without_the_grant(cast):
    assert not Access(cast.lead_worker).visible_cases_granting(Permission.EXPORT_CSV)


def test_visible_cases_granting_ignores_break_the_glass(cast):
    BreakGlassGrantFactory(
        case=cast.other_case, user=cast.lead_manager, agency=cast.police_a
    )
    access = Access(cast.lead_manager)

    assert cast.other_case in access.visible_cases()
    assert list(access.visible_cases_granting(Permission.EXPORT_PDF)) == [cast.case]
