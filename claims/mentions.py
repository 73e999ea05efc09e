"""``@username`` in a comment: where a mention is, by the one pattern the services (which store
who was mentioned) and the pages (which highlight them) both read.

A mention starts at an ``@`` that follows no letter, digit or address character, so
``a@b.com`` and ``https://x.example/@name`` mention nobody, and takes the characters a Django
username may hold (letters, digits and ``_ . + -``), less a trailing full stop, so that
"thanks @rita." mentions rita.
"""

import re
from collections.abc import Iterator

MENTION = re.compile(r"(?<![\w.@+/:=-])@([\w+-](?:[\w.+-]*[\w+-])?)")

# However many a text names, a comment recognises at most this many people: the lookup stays one
# short query, and a comment is no mailing list.
MAX_MENTIONS = 20


def mentioned_names(text: str) -> list[str]:
    """The usernames ``text`` mentions, each once (case aside), in the order first written."""
    names, seen = [], set()
    for match in MENTION.finditer(text or ""):
        name = match.group(1)
        if name.lower() not in seen:
            seen.add(name.lower())
            names.append(name)
    return names[:MAX_MENTIONS]


def split_mentions(text: str) -> Iterator[tuple[str, str | None]]:
    """``text`` in pieces: ``(piece, None)`` for plain text, ``(piece, username)`` for a
    mention (the piece is the ``@name`` as written)."""
    last = 0
    for match in MENTION.finditer(text):
        if match.start() > last:
            yield text[last : match.start()], None
        yield match.group(0), match.group(1)
        last = match.end()
    if last < len(text):
        yield text[last:], None
