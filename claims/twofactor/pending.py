"""A sign-in between its two steps: the password was right, the code is still to come.

Kept in the session, which stays anonymous until the code is right: who signs in, through
which backend, where to go afterwards, and since when. It lapses after PENDING_SECONDS, so a
password typed on a shared computer does not wait there for someone else's code.
"""

import time
from dataclasses import dataclass

from django.contrib.auth import get_user_model

SESSION_KEY = "twofactor_pending"
PENDING_SECONDS = 300


@dataclass(frozen=True)
class PendingSignIn:
    user: object
    backend: str
    next_url: str


def start(request, user, next_url: str) -> None:
    """Remember that ``user`` gave the right password; a new session key, as a login gets."""
    request.session.cycle_key()
    request.session[SESSION_KEY] = {
        "user": user.pk,
        "backend": user.backend,
        "next": next_url,
        "since": time.time(),
    }


def current(request) -> PendingSignIn | None:
    """The sign-in waiting for its code in this session, unless it lapsed or its user is gone."""
    data = request.session.get(SESSION_KEY)
    if not data:
        return None
    if time.time() - data.get("since", 0) > PENDING_SECONDS:
        clear(request)
        return None
    user = get_user_model().objects.filter(pk=data["user"], is_active=True).first()
    if user is None:
        clear(request)
        return None
    return PendingSignIn(user, data["backend"], data["next"])


def clear(request) -> None:
    request.session.pop(SESSION_KEY, None)
