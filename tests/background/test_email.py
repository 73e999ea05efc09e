"""EMAIL_URL's transports, for real: a mail with plain and HTML parts through an SMTP server on
loopback (logging in with the URL's decoded user and password), and the file backend."""

import email
import email.policy
import socket

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword
from django.core import mail

from claims.background.config import email_settings

# The test server takes AUTH in plain text, which is fine on loopback; aiosmtpd warns of it.
pytestmark = pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS")


class Mailbox:
    """An aiosmtpd handler and authenticator that keeps what it was sent and who logged in
    (the login is what the test checks; the server lets anyone in)."""

    def __init__(self):
        self.messages: list[email.message.EmailMessage] = []
        self.envelopes: list[tuple[str, list[str]]] = []
        self.logins: list[tuple[str, str, str]] = []

    async def handle_DATA(self, server, session, envelope):
        self.envelopes.append((envelope.mail_from, list(envelope.rcpt_tos)))
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        self.messages.append(message)
        return "250 OK"

    def __call__(self, server, session, envelope, mechanism, auth_data):
        if not isinstance(auth_data, LoginPassword):
            return AuthResult(success=False, handled=False)
        login, password = auth_data.login.decode(), auth_data.password.decode()
        self.logins.append((mechanism, login, password))
        return AuthResult(success=True)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def smtp_server():
    mailbox = Mailbox()
    controller = Controller(
        mailbox,
        hostname="127.0.0.1",
        port=free_port(),
        authenticator=mailbox,
        auth_required=True,
        auth_require_tls=False,
    )
    controller.start()
    yield mailbox, controller.port
    controller.stop()


def use_email_url(settings, url: str) -> None:
    for name, value in email_settings(url).items():
        setattr(settings, name, value)


def test_a_mail_with_plain_and_html_parts_goes_through_smtp(settings, smtp_server):
    mailbox, port = smtp_server
    use_email_url(settings, f"smtp://desk%40example.org:p%3Ass%2Fw0rd@127.0.0.1:{port}")
    message = mail.EmailMultiAlternatives(
        subject="Claim 12 needs your review",
        body="Claim 12 waits for you: http://127.0.0.1:8000/claims/12/",
        from_email="factcheck <factcheck@localhost>",
        to=["rita@example.org"],
    )
    message.attach_alternative(
        '<p>Claim 12 waits for you: <a href="http://127.0.0.1:8000/claims/12/">open it</a></p>',
        "text/html",
    )
    assert message.send() == 1
    assert mailbox.logins[-1][1:] == ("desk@example.org", "p:ss/w0rd")
    assert mailbox.envelopes == [("factcheck@localhost", ["rita@example.org"])]
    [received] = mailbox.messages
    assert received["Subject"] == "Claim 12 needs your review"
    assert received.get_content_type() == "multipart/alternative"
    plain = received.get_body(preferencelist=("plain",))
    html = received.get_body(preferencelist=("html",))
    assert plain.get_content().strip() == "Claim 12 waits for you: http://127.0.0.1:8000/claims/12/"
    assert '<a href="http://127.0.0.1:8000/claims/12/">open it</a>' in html.get_content()


def test_send_mail_with_an_html_message_goes_through_smtp(settings, smtp_server):
    mailbox, port = smtp_server
    use_email_url(settings, f"smtp://desk%40example.org:p%3Ass%2Fw0rd@127.0.0.1:{port}")
    sent = mail.send_mail(
        "Digest",
        "Two claims changed.",
        None,
        ["edna@example.org"],
        html_message="<p>Two claims <em>changed</em>.</p>",
    )
    assert sent == 1
    [received] = mailbox.messages
    assert received["From"] == settings.DEFAULT_FROM_EMAIL == "factcheck <factcheck@localhost>"
    assert received.get_body(preferencelist=("plain",)).get_content().strip() == (
        "Two claims changed."
    )
    assert "<em>changed</em>" in received.get_body(preferencelist=("html",)).get_content()


def test_the_file_backend_writes_each_mail_to_a_file(settings, tmp_path):
    use_email_url(settings, f"file://{tmp_path}/outbox")
    mail.send_mail("Digest", "Two claims changed.", None, ["edna@example.org"])
    [written] = list((tmp_path / "outbox").iterdir())
    content = written.read_text()
    assert "Subject: Digest" in content
    assert "To: edna@example.org" in content
    assert "Two claims changed." in content


def test_memory_keeps_mails_in_the_outbox(settings):
    use_email_url(settings, "memory:")
    mail.send_mail("Digest", "Two claims changed.", None, ["edna@example.org"])
    assert [message.subject for message in mail.outbox] == ["Digest"]


def test_a_notification_mail_goes_through_smtp_and_links_its_claim(
    settings, smtp_server, editor, reviewer, django_capture_on_commit_callbacks
):
    from claims import services
    from claims.models import EmailState, Notification
    from tests.conftest import detail_url, make_claim

    mailbox, port = smtp_server
    use_email_url(settings, f"smtp://desk%40example.org:secret@127.0.0.1:{port}")
    settings.FACTCHECK_SITE_URL = "https://desk.example.org"
    reviewer.email = "rita@example.org"
    reviewer.save()
    claim = make_claim(editor)
    with django_capture_on_commit_callbacks(execute=True):
        services.reviewer_assign(actor=editor, claim=claim, reviewer=reviewer)
    [received] = mailbox.messages
    assert mailbox.envelopes == [("factcheck@localhost", ["rita@example.org"])]
    # (An encoded subject comes back unfolded with a leading space.)
    assert received["Subject"].strip().startswith("[factcheck] Edna Editor assigned you")
    link = "https://desk.example.org" + detail_url(claim)
    assert link in received.get_body(preferencelist=("plain",)).get_content()
    assert f'href="{link}"' in received.get_body(preferencelist=("html",)).get_content()
    assert Notification.objects.get().email_state == EmailState.SENT


def test_a_notification_mail_lands_in_a_file_with_the_file_backend(
    settings, tmp_path, editor, reviewer, django_capture_on_commit_callbacks
):
    from claims import services
    from tests.conftest import make_claim

    use_email_url(settings, f"file://{tmp_path}")
    reviewer.email = "rita@example.org"
    reviewer.save()
    with django_capture_on_commit_callbacks(execute=True):
        services.reviewer_assign(actor=editor, claim=make_claim(editor), reviewer=reviewer)
    [written] = list(tmp_path.iterdir())
    text = written.read_text()
    assert "To: rita@example.org" in text
    assert "assigned you to review" in text
