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
    ],
)
def test_equivalent_addresses_share_one_form(given, expected):
    assert normalize_url(given) == expected


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
