"""Pop-up desks: applications through the desk's QR carry its code, show in the queue with it and count for the
desk by occupation; the QR after the desk's end date is refused in Chinese and leads nowhere."""

import datetime as dt

from django.urls import reverse
from django.utils import timezone

from membership.models import MembershipApplication
from outreach.selectors import desk_figures
from tests.factories import QINSHUI, UnionOrganizationFactory
from tests.membership.factories import holding_pool, resident_id
from tests.outreach import factories as f
from unionhub.models import OrganizationKind


def _federation():
    return UnionOrganizationFactory(
        name="沁水县总工会", kind=OrganizationKind.COUNTY_FEDERATION, region_id=QINSHUI, credit_code=None
    )


def test_applications_through_the_desk_are_attributed_and_counted(regions, client):
    holding_pool(QINSHUI)
    desk = f.desk(_federation())
    join = client.get(reverse("outreach:desk", args=[desk.code]))
    assert join.status_code == 302 and desk.code in join["Location"]
    for n, occupation in enumerate(["delivery_rider", "delivery_rider", "courier"]):
        response = client.post(
            join["Location"],
            {
                "name": f"骑手{n}",
                "resident_id": resident_id(QINSHUI, serial=n + 1),
                "mobile": f"1391234567{n}",
                "occupation": occupation,
                "county": QINSHUI,
                "consent": "on",
            },
        )
        assert response.status_code == 302, response.content.decode()[:2000]
    assert set(MembershipApplication.objects.values_list("event", flat=True)) == {desk.code}
    figures = desk_figures(desk)
    assert figures["applications"] == 3
    assert figures["by_occupation"][0][1:] == (2, 0)


def test_a_desk_qr_after_its_end_is_refused_in_chinese(regions, client):
    now = timezone.now()
    desk = f.desk(_federation(), starts_at=now - dt.timedelta(days=3), ends_at=now - dt.timedelta(days=2))
    response = client.get(reverse("outreach:desk", args=[desk.code]))
    assert response.status_code == 410
    assert "已于" in response.content.decode() and "结束" in response.content.decode()
    assert not MembershipApplication.objects.exists()
