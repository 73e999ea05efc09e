"""The dashboard's agreement panel and the disagreements page behind it: what they show against
the hand-worked table of tests/signoff/test_agreement.py, their links, who may see them, what
they say to parameters given wrongly, and their fixed number of queries."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from claims.models import ReviewState
from claims.signoff.agreement import disagreements_url
from tests.conftest import AGREEMENT_PERIOD as PERIOD
from tests.conftest import judge, november
from tests.factories import ClaimFactory, UserFactory, ViewerFactory

C, D = ReviewState.CORROBORATED, ReviewState.DISPUTED
DASHBOARD = reverse("claims:dashboard") + "?since=2026-11-02&until=2026-11-15"
DISAGREEMENTS = reverse("claims:disagreements")
PERIOD_QUERY = "?since=2026-11-02&until=2026-11-15"


def text_of(html: str) -> str:
    """The page's text, tags dropped and white space collapsed."""
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def panel(html: str) -> str:
    return html.split('id="agreement"', 1)[1].split("</section>", 1)[0]


def test_panel_shows_the_share_agreed_and_each_pairs_kappa(
    client, editor, six_judged_claims, judges
):
    client.force_login(editor)
    html = panel(client.get(DASHBOARD).content.decode())
    text = text_of(html)

    assert "Reviewers agreed in 3 of 6 independent reviews (50%)" in text
    assert "Ana Alves and Ben Brown 6 83% 0.67" in text
    assert "Ana Alves and Cy Costa 6 66%" in text
    assert "0.25" in text
    assert "Ben Brown and Cy Costa 6 50%" in text
    assert "0.00" in text
    assert "3 pairs of reviewers shared fewer than 5 claims and are left out." in text
    assert "from 2 Nov 2026 to 15 Nov 2026" in text


def test_each_figure_links_to_its_disagreements(client, editor, six_judged_claims, judges):
    client.force_login(editor)
    html = panel(client.get(DASHBOARD).content.decode())
    ana, ben = judges["ana"].pk, judges["ben"].pk
    everything = disagreements_url(PERIOD).replace("&", "&amp;")
    pair = disagreements_url(PERIOD, (ana, ben)).replace("&", "&amp;")
    assert f'<a href="{everything}">Reviewers agreed in 3 of 6' in html
    assert html.count(f'<a href="{pair}" aria-describedby="agreement-link-help">') == 2
    for url in re.findall(r'href="(/dashboard/disagreements/[^"]+)"', html):
        assert client.get(url.replace("&amp;", "&")).status_code == 200


def test_panel_says_why_a_kappa_is_missing(client, editor, judges, settings):
    settings.FACTCHECK_AGREEMENT_MIN_SHARED = 2
    for number in range(2):
        claim = ClaimFactory()
        judge(claim, judges["ana"], C, november(3 + number, 9))
        judge(claim, judges["ben"], C, november(3 + number, 10))
    client.force_login(editor)
    text = text_of(panel(client.get(DASHBOARD).content.decode()))
    assert "Ana Alves and Ben Brown 2 100%" in text
    assert "— undefined: both always gave the same state" in text
    assert "Reviewers agreed in 2 of 2 independent reviews (100%)" in text


def test_panel_without_pairs_over_the_minimum_says_so(client, editor, judges):
    claim = ClaimFactory()
    judge(claim, judges["ana"], C, november(3, 9))
    judge(claim, judges["ben"], D, november(3, 10))
    client.force_login(editor)
    text = text_of(panel(client.get(DASHBOARD).content.decode()))
    assert "Reviewers agreed in 0 of 1 independent review (0%)" in text
    assert "No pair of reviewers judged 5 claims of this period both." in text
    assert "1 pair of reviewers shared fewer than 5 claims and is left out." in text
    assert "<table" not in text


def test_panel_is_empty_before_any_independent_review(client, editor):
    client.force_login(editor)
    html = panel(client.get(reverse("claims:dashboard")).content.decode())
    assert "No independent review in this period" in html
    assert "<table" not in html
    assert "Reviewers agreed" not in html


def test_panel_offers_a_period_and_keeps_a_wrong_one_from_breaking_the_page(client, editor):
    client.force_login(editor)
    shown = panel(client.get(DASHBOARD).content.decode())
    assert 'name="since" value="2026-11-02"' in shown
    assert 'id="agreement-until"' in shown
    response = client.get(reverse("claims:dashboard") + "?since=2026-11-20&until=2026-11-02")
    assert response.status_code == 200
    html = panel(response.content.decode())
    assert 'id="agreement-since"' in html
    assert 'name="until"' in html
    assert "The period ends before it starts" in html
    assert client.get(reverse("claims:dashboard") + "?since=yesterday").status_code == 200


# The disagreements page -------------------------------------------------------------------------


def test_disagreements_page_lists_the_periods_disagreements_newest_first(
    client, editor, six_judged_claims, judges
):
    client.force_login(editor)
    response = client.get(DISAGREEMENTS + PERIOD_QUERY)
    assert response.status_code == 200
    html = response.content.decode()
    links = re.findall(r'<a class="claim-link" href="/claims/(\d+)/">', html)
    assert links == [str(six_judged_claims[number].pk) for number in (5, 4, 2)]
    text = text_of(html)
    assert "Where independent reviewers disagreed" in text
    assert "3 disagreements" in text
    assert (
        f"Claim 2 #{six_judged_claims[2].pk} · last judged 4 Nov 2026, 15:00 Ana Alves "
        "Corroborated Ben Brown Corroborated Cy Costa Disputed Dee Diaz Unverified"
    ) in text


def test_disagreements_of_a_pair(client, editor, six_judged_claims, judges):
    client.force_login(editor)
    ana, ben = judges["ana"], judges["ben"]
    response = client.get(disagreements_url(PERIOD, (ana.pk, ben.pk)))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Where Ana Alves and Ben Brown disagreed" in html
    assert re.findall(r'class="claim-link" href="/claims/(\d+)/"', html) == [
        str(six_judged_claims[4].pk)
    ]
    assert f'href="{disagreements_url(PERIOD).replace("&", "&amp;")}"' in html  # every pair's
    # The period form keeps the pair.
    assert f'name="a" value="{ana.pk}"' in html
    assert f'name="b" value="{ben.pk}"' in html


def test_a_pair_that_never_disagreed_says_so(client, editor, six_judged_claims, judges):
    client.force_login(editor)
    pair = (judges["ana"].pk, judges["dee"].pk)  # alike on claim 1; Ana C, Dee U on claim 2
    assert "1 disagreement" in text_of(client.get(disagreements_url(PERIOD, pair)).content.decode())
    stranger = UserFactory(username="stranger")
    page = client.get(disagreements_url(PERIOD, (judges["ana"].pk, stranger.pk)))
    assert (
        "These two reviewers judged no claim of this period differently." in page.content.decode()
    )


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("a=1", "Choose two reviewers: the address names only one."),
        ("a=1&b=", "Choose two reviewers: the address names only one."),
        ("a=ann&b=2", "“ann” is not a person&#x27;s number."),
        ("a=99999999999999999999&b=2", "is not a person&#x27;s number."),
        ("a=²&b=2", "is not a person&#x27;s number."),
        ("a=7&b=7", "Choose two different reviewers."),
        ("a=999999&b={ana}", "Nobody has the number 999999."),
    ],
)
def test_a_pair_given_wrongly_is_said_so(client, editor, judges, query, message):
    client.force_login(editor)
    response = client.get(DISAGREEMENTS + "?" + query.format(ana=judges["ana"].pk))
    assert response.status_code == 400
    html = response.content.decode()
    assert message in html
    assert "These reviewers cannot be compared" in html
    assert 'href="/dashboard/disagreements/?since=' in html  # every disagreement instead


@pytest.mark.parametrize("query", ["since=tomorrow", "since=2026-11-20&until=2026-11-02", "page=x"])
def test_a_period_or_page_given_wrongly_is_shown_at_its_field(
    client, editor, six_judged_claims, query
):
    client.force_login(editor)
    response = client.get(DISAGREEMENTS + "?" + query)
    assert response.status_code == 200
    if "since" in query:
        assert "errorlist" in response.content.decode()


def test_disagreements_are_paged(client, editor, judges, monkeypatch):
    monkeypatch.setattr("claims.web.views.agreement.PER_PAGE", 2)
    for number in range(3):
        claim = ClaimFactory(text=f"Split {number}")
        judge(claim, judges["ana"], C, november(3 + number, 9))
        judge(claim, judges["ben"], D, november(3 + number, 10))
    client.force_login(editor)
    first = text_of(client.get(DISAGREEMENTS + PERIOD_QUERY).content.decode())
    assert "Split 2" in first
    assert "Split 1" in first
    assert "Split 0" not in first
    assert "1–2 of 3" in first
    assert "Next ›" in first
    second = text_of(client.get(DISAGREEMENTS + PERIOD_QUERY + "&page=2").content.decode())
    assert "Split 0" in second
    assert "‹ Previous" in second


def test_staff_who_read_the_desk_see_the_disagreements(client, six_judged_claims):
    client.force_login(ViewerFactory(username="stella", is_staff=True))
    assert client.get(DISAGREEMENTS + PERIOD_QUERY).status_code == 200


@pytest.mark.parametrize("role", ["reviewer", "viewer"])
def test_reviewers_and_viewers_are_refused(client, request, role, db):
    client.force_login(request.getfixturevalue(role))
    response = client.get(DISAGREEMENTS)
    assert response.status_code == 403
    assert "The dashboard is for editors and staff." in response.content.decode()


def test_users_with_no_role_are_refused_and_visitors_sent_to_log_in(client, db):
    response = client.get(DISAGREEMENTS)
    assert response.status_code == 302
    assert response["Location"].startswith("/login/")
    client.force_login(UserFactory(username="nobody", is_staff=True))
    assert client.get(DISAGREEMENTS).status_code == 403


def test_only_get(client, editor):
    client.force_login(editor)
    assert client.post(DISAGREEMENTS).status_code == 405


def test_pages_escape_claims_and_names(client, editor, judges, settings):
    settings.FACTCHECK_AGREEMENT_MIN_SHARED = 1
    judges["ana"].first_name = "<b>Ana"
    judges["ana"].save()
    claim = ClaimFactory(text="<script>alert(1)</script>")
    judge(claim, judges["ana"], C, november(3, 9))
    judge(claim, judges["ben"], D, november(3, 10))
    client.force_login(editor)
    listed = client.get(DISAGREEMENTS + PERIOD_QUERY).content.decode()
    assert "<script>alert(1)" not in listed
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in listed
    for html in (listed, client.get(DASHBOARD).content.decode()):
        assert "<b>Ana" not in html
        assert "&lt;b&gt;Ana" in html


def test_page_query_counts_are_fixed(
    client, editor, six_judged_claims, judges, django_assert_max_num_queries
):
    # The session, the user and their permissions (two), the reviews disagreed on, the page's
    # judgements and claims; for a pair, its two people too.
    client.force_login(editor)
    pair = disagreements_url(PERIOD, (judges["ana"].pk, judges["ben"].pk))
    for url in (DISAGREEMENTS + PERIOD_QUERY, pair):
        client.get(url)  # warm the session
        with django_assert_max_num_queries(8):
            assert client.get(url).status_code == 200
    for number in range(15):
        claim = ClaimFactory()
        judge(claim, judges["ana"], C, november(9, 9, number))
        judge(claim, judges["ben"], D, november(9, 10, number))
    for url in (DISAGREEMENTS + PERIOD_QUERY, pair):
        with django_assert_max_num_queries(8):
            assert client.get(url).status_code == 200


def test_dashboard_period_defaults_to_the_weekly_charts_weeks(client, editor):
    client.force_login(editor)
    text = text_of(panel(client.get(reverse("claims:dashboard")).content.decode()))
    today = timezone.localdate()
    monday = today - datetime.timedelta(days=today.weekday(), weeks=11)
    assert f"from {monday:%-d %b %Y} to {today:%-d %b %Y}" in text
