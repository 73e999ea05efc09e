"""The dashboard's time in each stage and the slowest claims behind each figure, as pages: the
figures and their links, the period chosen, who may see them, and their fixed query counts."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from claims.selectors.dashboard import Period
from claims.signoff.stages import Stage
from tests.factories import EditorFactory, UserFactory, ViewerFactory
from tests.signoff.test_stages import Desk, at, build_stage_desk

WEEK_QUERY = "since=2026-11-02&until=2026-11-08"
SUNDAY = datetime.date(2026, 11, 8)


@pytest.fixture(autouse=True)
def signoff_on(settings):
    settings.FACTCHECK_SIGNOFF = True


@pytest.fixture
def chief(db):
    return EditorFactory(username="chen", first_name="Chen", last_name="Chief")


@pytest.fixture
def desk(editor, reviewer, other_reviewer, chief):
    """tests/signoff/test_stages.py's desk of five claims in the week of 2 November 2026."""
    return build_stage_desk(editor, reviewer, other_reviewer, chief)


@pytest.fixture
def frozen_sunday(db, monkeypatch):
    """Sunday 8 November 2026 for everything that asks for the local date."""
    real = timezone.localdate

    def localdate(value=None, timezone=None):
        return real(value, timezone) if value is not None else SUNDAY

    monkeypatch.setattr("django.utils.timezone.localdate", localdate)
    return SUNDAY


def stage_rows(html: str) -> list[list[str]]:
    """The stage table's body as text, a list of cells per row."""
    table = re.search(r'<table class="data stage-times">.*?</table>', html, re.S).group()
    body = table.split("<tbody>")[1]
    rows = []
    for row in re.findall(r"<tr[^>]*>(.*?)</tr>", body, re.S):
        cells = re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)
        rows.append([re.sub(r"<[^>]+>", "", cell).replace("\xa0", " ").strip() for cell in cells])
    return rows


def test_the_panel_shows_each_stage_for_the_desk_and_each_proposer(client, editor, desk):
    client.force_login(editor)
    html = client.get(reverse("claims:dashboard") + "?" + WEEK_QUERY).content.decode()

    assert stage_rows(html) == [
        ["Whole desk", "6 hours", "2 days", "5", "4 hours", "1 day", "5", "10 hours",
         "2 days, 5 hours", "4"],
        ["Omar Other", "30 minutes", "6 hours", "2", "4 hours", "8 hours", "2", "10 hours",
         "11 hours", "2"],
        ["Rita Reviewer", "1 day", "2 days", "3", "1 hour", "1 day", "3", "3 hours",
         "2 days, 5 hours", "2"],
    ]  # fmt: skip
    assert "from 2 Nov 2026 to 8 Nov 2026" in html
    assert '<th scope="colgroup" colspan="3">Proposal to sign-off</th>' in html


def test_each_time_links_to_the_slowest_claims_behind_it(client, editor, desk, reviewer):
    client.force_login(editor)
    html = client.get(reverse("claims:dashboard") + "?" + WEEK_QUERY).content.decode()

    desk_link = f'<a href="/dashboard/stages/signoff/?{WEEK_QUERY.replace("&", "&amp;")}">'
    assert html.count(desk_link) == 2  # the median and the 90th percentile
    rita = f"/dashboard/stages/publication/?{WEEK_QUERY}&reviewer={reviewer.pk}"
    assert html.count(f'href="{rita.replace("&", "&amp;")}"') == 2
    listed = client.get(rita).content.decode()
    assert re.findall(r'class="claim-link" href="[^"]+">([^<]+)<', listed) == ["c2", "c1"]


def test_the_default_period_is_the_weekly_charts_twelve_weeks(client, editor, frozen_sunday):
    client.force_login(editor)
    response = client.get(reverse("claims:dashboard"))

    assert response.context["stages"].period == Period(datetime.date(2026, 8, 17), SUNDAY)
    html = response.content.decode()
    assert "from 17 Aug 2026 to 8 Nov 2026" in html
    assert 'value="2026-08-17"' in html


def test_a_last_day_alone_gives_the_twelve_weeks_up_to_it(client, editor, frozen_sunday):
    client.force_login(editor)
    response = client.get(reverse("claims:dashboard") + "?until=2026-10-04")
    assert response.context["stages"].period == Period(
        datetime.date(2026, 7, 13), datetime.date(2026, 10, 4)
    )
    since_only = client.get(reverse("claims:dashboard") + "?since=2026-11-01")
    assert since_only.context["stages"].period == Period(datetime.date(2026, 11, 1), SUNDAY)


@pytest.mark.parametrize(
    ("query", "message"),
    [
        (
            "since=2026-11-08&until=2026-11-02",
            "The period ends before it starts: choose a day on or after 2026-11-08.",
        ),
        ("since=2026-13-45", "Enter a valid date."),
    ],
)
def test_a_wrong_period_is_told_beside_the_form_and_the_default_shown(
    client, editor, frozen_sunday, query, message
):
    client.force_login(editor)
    response = client.get(reverse("claims:dashboard") + "?" + query)

    assert response.status_code == 200
    assert message in response.content.decode()
    assert response.context["stages"].period == Period(datetime.date(2026, 8, 17), SUNDAY)


def test_an_empty_period_says_so(client, editor, desk):
    client.force_login(editor)
    html = client.get(reverse("claims:dashboard") + "?since=2026-10-01&until=2026-10-31")
    page = html.content.decode()
    assert "No verdict was proposed, signed off or published in this period." in page
    assert "stage-times" not in page


def test_proposers_names_are_escaped(client, editor, reviewer):
    reviewer.first_name, reviewer.last_name = "<b>Rita", "</table>"
    reviewer.save()
    write = Desk(editor)
    claim = write.claim(at(0, 9), reviewer)
    write.sign_off(at(0, 12), write.propose(at(0, 11), claim, reviewer))
    client.force_login(editor)
    html = client.get(reverse("claims:dashboard") + "?" + WEEK_QUERY).content.decode()
    assert "<b>Rita" not in html
    assert "&lt;b&gt;Rita &lt;/table&gt;" in html


def test_the_dashboard_takes_one_query_more_for_its_stage_times(
    client, editor, desk, django_assert_max_num_queries
):
    client.force_login(editor)
    client.get(reverse("claims:dashboard"))  # warm the session
    # As test_dashboard's page: the desk figures, the stage times and the agreement.
    with django_assert_max_num_queries(13):
        assert client.get(reverse("claims:dashboard") + "?" + WEEK_QUERY).status_code == 200


# The slowest claims' page ----------------------------------------------------------------------


def test_the_slowest_claims_of_a_stage_desk_wide(client, editor, desk):
    client.force_login(editor)
    response = client.get(reverse("claims:stage_slowest", args=["publication"]) + "?" + WEEK_QUERY)

    assert response.status_code == 200
    html = response.content.decode()
    assert "Slowest claims: Creation to publication" in html
    assert re.findall(r'class="claim-link" href="[^"]+">([^<]+)<', html) == ["c2", "c5", "c3", "c1"]
    assert "Proposed by" in html
    figures = response.context["figures"]
    assert (figures.median_words, figures.count) == ("10\xa0hours", 4)
    back = f'href="/dashboard/?{WEEK_QUERY.replace("&", "&amp;")}#stages"'
    assert back in html


def test_the_slowest_claims_of_one_proposer(client, editor, desk, other_reviewer):
    client.force_login(editor)
    url = reverse("claims:stage_slowest", args=["proposal"])
    response = client.get(f"{url}?{WEEK_QUERY}&reviewer={other_reviewer.pk}")

    html = response.content.decode()
    assert "proposed by Omar Other" in html
    assert re.findall(r'class="claim-link" href="[^"]+">([^<]+)<', html) == ["c3", "c5"]
    assert '<th scope="col">Proposed by</th>' not in html
    assert response.context["figures"].count == 2


def test_someone_who_proposed_nothing_then_has_no_claims(client, editor, desk, chief):
    client.force_login(editor)
    url = reverse("claims:stage_slowest", args=["signoff"])
    response = client.get(f"{url}?{WEEK_QUERY}&reviewer={chief.pk}")
    assert response.status_code == 200
    assert response.context["figures"].count == 0
    assert "No stage of this kind ended in this period." in response.content.decode()


@pytest.mark.parametrize(
    "path",
    [
        "/dashboard/stages/review/",
        "/dashboard/stages/proposal/?reviewer=abc",
        "/dashboard/stages/proposal/?reviewer=999999",
        "/dashboard/stages/proposal/?reviewer=",
    ],
)
def test_an_unknown_stage_or_person_is_not_found(client, editor, path):
    client.force_login(editor)
    assert client.get(path).status_code == 404


@pytest.mark.parametrize("role", ["reviewer", "viewer"])
def test_the_slowest_claims_are_for_those_who_see_the_dashboard(client, request, role, db):
    client.force_login(request.getfixturevalue(role))
    response = client.get(reverse("claims:stage_slowest", args=["proposal"]))
    assert response.status_code == 403


def test_staff_who_read_the_desk_see_the_slowest_claims(client, db):
    client.force_login(ViewerFactory(username="stella", is_staff=True))
    assert client.get(reverse("claims:stage_slowest", args=["proposal"])).status_code == 200
    client.force_login(UserFactory(username="nobody", is_staff=True))
    assert client.get(reverse("claims:stage_slowest", args=["proposal"])).status_code == 403


def test_anonymous_visitors_are_sent_to_log_in(client, db):
    response = client.get(reverse("claims:stage_slowest", args=["proposal"]))
    assert response.status_code == 302
    assert response["Location"].startswith("/login/")


def test_the_slowest_claims_page_has_a_fixed_number_of_queries(
    client, editor, desk, reviewer, django_assert_max_num_queries
):
    client.force_login(editor)
    url = reverse("claims:stage_slowest", args=[Stage.PROPOSAL]) + "?" + WEEK_QUERY
    client.get(url)  # warm the session
    with django_assert_max_num_queries(6) as few:
        client.get(url)
    write = Desk(editor)
    for number in range(8):
        claim = write.claim(at(5, 9), reviewer, f"more {number}")
        write.propose(at(5, 10), claim, reviewer)
    with django_assert_max_num_queries(len(few)):
        assert len(client.get(url).context["claims"]) == 13
