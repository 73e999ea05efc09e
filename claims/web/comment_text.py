"""A comment's plain text as HTML: everything escaped, line breaks kept, http(s) addresses made
links and the people it mentions highlighted.

Only a word that starts with ``http://`` or ``https://`` (after an opening bracket or quote)
becomes a link, so no other scheme (``javascript:``, ``data:``), no bare domain and no e-mail
address does. Punctuation around the address stays outside the link (Django's ``urlize`` drops
a comma that follows a closing bracket, so the words are linked here, with its quoting). A
mention is highlighted only if it names someone the comment recorded as mentioned
(``Comment.mentions``); any other ``@name`` stays plain text.
"""

import re
from collections.abc import Iterable

from django.utils.html import escape, format_html, smart_urlquote
from django.utils.safestring import SafeString, mark_safe

from claims.mentions import split_mentions
from claims.selectors.people import display_name

_WORDS = re.compile(r"(\s+)")
_LINKABLE = re.compile(r"(?P<lead>[(\[<\"'“‘]*)(?P<rest>https?://\S+)", re.IGNORECASE)
_TRAILING = ".,;:!?\"'”’>]"


def comment_html(text: str, mentioned: Iterable = ()) -> SafeString:
    """``text`` as safe HTML; ``mentioned`` are the users whose ``@username`` is highlighted."""
    people = {user.get_username().lower(): user for user in mentioned}
    pieces = []
    for word in _WORDS.split((text or "").replace("\r\n", "\n")):
        if not word:
            continue
        if word.isspace():
            pieces.append(escape(word).replace("\n", "<br>\n"))
        elif linkable := _LINKABLE.fullmatch(word):
            pieces.append(_link(linkable["lead"], linkable["rest"]))
        else:
            pieces.append(_with_mentions(word, people))
    return mark_safe("".join(pieces))  # noqa: S308  every piece above is escaped


def _link(lead: str, rest: str) -> str:
    """The address in ``rest`` as a link, with the punctuation around it as text; a closing
    bracket stays in the address when it closes one the address opened (Wikipedia's)."""
    address, trail = rest, ""
    while address:
        last = address[-1]
        if last in _TRAILING or (last == ")" and address.count("(") < address.count(")")):
            address, trail = address[:-1], last + trail
        else:
            break
    if "://" not in address or address.endswith("://"):
        return escape(lead + rest)
    link = format_html(
        '<a href="{}" rel="nofollow noopener noreferrer" target="_blank">{}</a>',
        smart_urlquote(address),
        address,
    )
    return f"{escape(lead)}{link}{escape(trail)}"


def _with_mentions(word: str, people: dict) -> str:
    parts = []
    for piece, name in split_mentions(word):
        user = people.get(name.lower()) if name else None
        if user is None:
            parts.append(escape(piece))
        else:
            parts.append(
                format_html('<mark class="mention" title="{}">{}</mark>', display_name(user), piece)
            )
    return "".join(parts)
