"""A claim's review packet: the report's page of the claim with its discussion and history,
printable, for the desk only, as the claim page shows it to the one who asks."""

from django.urls import reverse

from claims import services
from tests.conftest import add_evidence, detail_url, login, propose
from tests.factories import UserFactory


def packet_url(claim):
    return reverse("claims:review_packet", args=[claim.pk])


def test_the_claim_page_links_to_its_review_packet(client, viewer, claim):
    page = login(client, viewer).get(detail_url(claim)).content.decode()
    assert f'href="{packet_url(claim)}"' in page
    assert "Review packet" in page


def test_the_packet_holds_the_claim_evidence_discussion_and_history(
    client, editor, reviewer, claim
):
    add_evidence(claim, editor, url="https://records.example/log", title="The flight log")
    comment = services.comment_add(actor=reviewer, claim=claim, text="Ask @edna about the log")
    services.comment_edit(actor=reviewer, comment=comment, text="Asked @edna about the log")
    hidden = services.comment_add(actor=editor, claim=claim, text="A private number")
    services.comment_hide(actor=editor, comment=hidden, reason="Personal data.")

    response = login(client, reviewer).get(packet_url(claim))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Review packet: claim #" in page
    assert claim.text in page
    assert "The flight log" in page
    assert "https://records.example/log" in page
    assert '<mark class="mention" title="Edna Editor">@edna</mark>' in page
    assert "Earlier versions" in page  # written out, not behind a disclosure, for print
    assert "Ask @edna about the log" in page
    assert "Comment hidden by Edna Editor: Personal data." in page
    assert "A private number" not in page
    # The history, oldest first: creation before the comments.
    assert page.index("Edna Editor created the claim.") < page.index("Rita Reviewer commented.")
    assert "Edna Editor hid a comment by Edna Editor" not in page
    assert "Edna Editor hid their comment: “Personal data.”" in page
    assert "@page { size: A4" in page  # the report's print CSS
    assert f'href="{detail_url(claim)}"' in page


def test_the_packet_escapes_what_it_shows(client, editor, claim):
    services.comment_add(actor=editor, claim=claim, text="<script>alert(1)</script>")
    page = login(client, editor).get(packet_url(claim)).content.decode()
    assert "<script>alert" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_the_packet_needs_a_login_and_a_role(client, claim, viewer):
    response = client.get(packet_url(claim))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    assert login(client, UserFactory(username="nobody")).get(packet_url(claim)).status_code == 403
    login(client, viewer)
    assert client.get(packet_url(claim)).status_code == 200
    assert client.get(reverse("claims:review_packet", args=[999999])).status_code == 404


def test_a_blind_reviewers_packet_leaves_out_the_other_reviewers_comments(
    client, independent_claim, reviewer, other_reviewer
):
    services.comment_add(actor=other_reviewer, claim=independent_claim, text="Omar leans no")
    page = login(client, reviewer).get(packet_url(independent_claim)).content.decode()
    assert "Omar leans no" not in page
    assert "Omar Other commented" not in page
    propose(independent_claim, reviewer)
    page = client.get(packet_url(independent_claim)).content.decode()
    assert "Omar leans no" in page
