"""The demo's interventions: supervision and a programme with sessions on a
few cases of each site, one release ten days away per site; loading twice
adds nothing."""

import datetime as dt

import pytest
from django.utils import timezone

from masip.accounts.models import Site
from masip.cases.models import Case
from masip.demo.builder import load_demo
from masip.demo.interventions import ensure_interventions
from masip.interventions.models import Custody, Intervention, InterventionSession
from masip.interventions.selectors import releases_upcoming


@pytest.mark.django_db
def test_demo_interventions_are_made_once():
    anchor = timezone.localdate()
    result = load_demo(anchor=anchor)

    ensure_interventions(result.structure, anchor=anchor)
    counts = [m.objects.count() for m in (Intervention, InterventionSession, Custody)]
    ensure_interventions(result.structure, anchor=anchor)

    assert [
        m.objects.count() for m in (Intervention, InterventionSession, Custody)
    ] == counts
    sites = Site.objects.count()
    assert Custody.objects.count() == sites
    assert (
        Intervention.objects.filter(
            kind=Intervention.Kind.PERPETRATOR_PROGRAMME
        ).count()
        == Intervention.objects.filter(
            kind=Intervention.Kind.PROBATION_SUPERVISION
        ).count()
        > sites
    )
    coming = releases_upcoming(Case.objects.all(), today=anchor, within_days=14)
    assert [c.expected_release_on for c in coming] == [
        anchor + dt.timedelta(days=10)
    ] * sites
    for intervention in Intervention.objects.all():
        assert intervention.subject.participations.filter(
            case=intervention.case, role="perpetrator"
        ).exists()
