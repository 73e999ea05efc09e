"""TASKS_URL and EMAIL_URL as settings, hand-written: no library maps one URL to Django's TASKS
and django-rq's RQ_QUEUES, and dj-email-url reads ``smtps://`` as STARTTLS, not RFC 8314's
implicit TLS.

Both parsers return plain dicts of settings, so factcheck/settings.py stays a list of names, and
both refuse a value they do not understand with an ImproperlyConfigured error that names every
accepted form, rather than falling back to something the operator did not ask for.
"""

from urllib.parse import parse_qs, unquote, urlsplit

from django.core.exceptions import ImproperlyConfigured

# Every backend declares the same queues, so a task's queue_name is valid wherever it runs.
QUEUES = ["default", "email"]

TASKS_URL_FORMS = "'database', 'immediate' or 'redis://host:port/db'"
EMAIL_URL_FORMS = (
    "'smtp://user:password@host:port' (with '?starttls=true' for STARTTLS, '?timeout=SECONDS'), "
    "'smtp+tls://...' (STARTTLS), 'smtps://...' (implicit TLS), 'console:', "
    "'file:///absolute/folder' or 'memory:'"
)

# A stalled mail server must not hold a worker forever; Django's own default is no timeout.
DEFAULT_EMAIL_TIMEOUT = 30


def tasks_settings(url: str) -> dict:
    """The TASKS setting (and django-rq's RQ_QUEUES and RQ for Redis) that ``TASKS_URL`` names.

    ``database``: django-tasks-db on the default database, so a task row commits or rolls back
    with the write that enqueued it; ``redis://host:port/db`` (or ``rediss://``): django-tasks-rq
    on that Redis; ``immediate``: run inside ``enqueue()``, for tests.
    """
    value = url.strip()
    if value == "database":
        backend = {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": list(QUEUES)}
        return {"TASKS": {"default": backend}}
    if value == "immediate":
        backend = {
            "BACKEND": "django_tasks.backends.immediate.ImmediateBackend",
            "QUEUES": list(QUEUES),
        }
        return {"TASKS": {"default": backend}}
    parts = urlsplit(value)
    if parts.scheme in {"redis", "rediss"}:
        _check_redis_url(value, parts)
        # django-tasks-rq reads results through the "default" queue's connection, so every
        # queue must share one Redis (django-rq refuses a worker on queues that do not).
        return {
            "TASKS": {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": list(QUEUES)}},
            "RQ_QUEUES": {name: {"URL": value} for name in QUEUES},
            "RQ": {"JOB_CLASS": "django_tasks_rq.Job"},
        }
    raise ImproperlyConfigured(f"TASKS_URL={url!r} is not understood: use {TASKS_URL_FORMS}.")


def _check_redis_url(url: str, parts) -> None:
    try:
        parts.port  # noqa: B018 - a port that is not a number raises here
    except ValueError:
        raise ImproperlyConfigured(
            f"TASKS_URL={url!r} has a port that is not a number: use {TASKS_URL_FORMS}."
        ) from None
    database = parts.path.strip("/")
    if not parts.hostname or (database and not database.isdigit()):
        raise ImproperlyConfigured(
            f"TASKS_URL={url!r} needs a host and a database number: use {TASKS_URL_FORMS}."
        )


def email_settings(url: str) -> dict:
    """The EMAIL_* settings that ``EMAIL_URL`` names.

    ``smtp://`` sends in plain text (port 25 by default), ``smtp+tls://`` or ``?starttls=true``
    upgrades with STARTTLS (port 587), ``smtps://`` speaks TLS from the first byte (port 465);
    user and password are URL-decoded. ``console:`` prints mails, ``file:///folder`` writes each
    to a file there, ``memory:`` keeps them in ``django.core.mail.outbox``.
    """
    value = url.strip()
    parts = urlsplit(value)
    scheme = parts.scheme.lower()
    if scheme == "console" and _is_bare(parts):
        return {"EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend"}
    if scheme == "memory" and _is_bare(parts):
        return {"EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend"}
    if scheme == "file" and not parts.netloc and parts.path.startswith("/"):
        return {
            "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
            "EMAIL_FILE_PATH": unquote(parts.path),
        }
    if scheme in {"smtp", "smtp+tls", "smtps"} and parts.hostname:
        return _smtp_settings(url, parts, scheme)
    raise ImproperlyConfigured(f"EMAIL_URL={url!r} is not understood: use {EMAIL_URL_FORMS}.")


def _is_bare(parts) -> bool:
    return not (parts.netloc or parts.path.strip("/") or parts.query)


def _smtp_settings(url: str, parts, scheme: str) -> dict:
    query = {key: values[-1] for key, values in parse_qs(parts.query).items()}
    unknown = set(query) - {"starttls", "timeout"}
    if unknown:
        raise ImproperlyConfigured(
            f"EMAIL_URL={url!r} has unknown options {sorted(unknown)}: use {EMAIL_URL_FORMS}."
        )
    starttls = scheme == "smtp+tls" or _query_flag(url, query.get("starttls", "false"))
    implicit_tls = scheme == "smtps"
    if starttls and implicit_tls:
        raise ImproperlyConfigured(
            f"EMAIL_URL={url!r} asks for both STARTTLS and implicit TLS (smtps): choose one."
        )
    try:
        port = parts.port
        timeout = float(query.get("timeout", DEFAULT_EMAIL_TIMEOUT))
    except ValueError:
        raise ImproperlyConfigured(
            f"EMAIL_URL={url!r} has a port or timeout that is not a number."
        ) from None
    return {
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": parts.hostname,
        "EMAIL_PORT": port or (465 if implicit_tls else 587 if starttls else 25),
        "EMAIL_HOST_USER": unquote(parts.username or ""),
        "EMAIL_HOST_PASSWORD": unquote(parts.password or ""),
        "EMAIL_USE_TLS": starttls,
        "EMAIL_USE_SSL": implicit_tls,
        "EMAIL_TIMEOUT": timeout,
    }


def _query_flag(url: str, value: str) -> bool:
    if value.lower() in {"1", "true", "yes", "on"}:
        return True
    if value.lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"EMAIL_URL={url!r}: starttls must be true or false.")
