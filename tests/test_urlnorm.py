import pytest
from django.core.exceptions import ValidationError

from claims.urlnorm import normalize_url


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("HTTPS://News.Example/Story", "https://news.example/Story"),
        ("https://news.example:443/a/", "https://news.example/a"),
        ("http://news.example:80", "http://news.example/"),
        ("https://news.example:8443/a", "https://news.example:8443/a"),
        ("https://news.example/a?b=2&a=1#section", "https://news.example/a?a=1&b=2"),
        ("https://news.example/a?utm_source=x&fbclid=y&id=3", "https://news.example/a?id=3"),
        ("  https://news.example/a  ", "https://news.example/a"),
        # International names and paths, written one way whichever way they were typed.
        ("https://bücher.example/a", "https://xn--bcher-kva.example/a"),
        ("https://XN--BCHER-KVA.example/a", "https://xn--bcher-kva.example/a"),
        ("https://news.example/café", "https://news.example/caf%C3%A9"),
        ("https://news.example/caf%c3%a9", "https://news.example/caf%C3%A9"),
        ("https://news.example/%7Euser/%2f", "https://news.example/~user/%2F"),
        ("https://news.example/a/./b/../c/", "https://news.example/a/c"),
        ("https://news.example/../a", "https://news.example/a"),
        ("https://[::1]:8080/x", "https://[::1]:8080/x"),
        # A query escape that is not UTF-8 is kept as it is, not read as a stand-in character.
        ("https://news.example/?q=%FF", "https://news.example/?q=%FF"),
        ("https://news.example/?q=%C3%BF", "https://news.example/?q=%C3%BF"),
    ],
)
def test_equivalent_addresses_share_one_form(given, expected):
    assert normalize_url(given) == expected


def test_different_pages_keep_different_forms():
    forms = {
        normalize_url(url)
        for url in (
            "https://news.example/?q=%FF",
            "https://news.example/?q=%FE",
            "https://news.example/a%2Fb",
            "https://news.example/a/b",
            "https://news.example/Story",
            "https://news.example/story",
        )
    }
    assert len(forms) == 6


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("https://evil.example\\@news.example/1", "backslash"),
        ("https://news.example@evil.example/", "user name and password"),
        ("https://user:secret@news.example/", "user name and password"),
        ("https://news.example/\x01x", "invisible characters"),
        ("https://news.example/\u202etxt.exe", "invisible characters"),
        ("https://news.example/a\u200bb", "invisible characters"),
        ("https://news.example/a b", "spaces"),
    ],
)
def test_addresses_that_would_lead_elsewhere_than_they_read_are_refused(url, message):
    with pytest.raises(ValidationError) as refused:
        normalize_url(url)
    assert message in " ".join(refused.value.messages)


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        "ftp://files.example/a",
        "file:///etc/passwd",
        "data:text/html,<script>alert(1)</script>",
        "news.example/no-scheme",
        "https://",
        "",
        "https://news.example:99999/",
    ],
)
def test_only_http_and_https_addresses_are_accepted(url):
    with pytest.raises(ValidationError):
        normalize_url(url)
