"""Test settings: the project's settings with a test key, plain HTTP and fast hashing."""

import os

os.environ.setdefault("SECRET_KEY", "test-only-secret-key-" + "x" * 40)
os.environ.setdefault("DJANGO_HTTPS", "false")
# Tasks run inside enqueue() and mails stay in memory, unless the environment asks otherwise
# (TASKS_URL=redis://... runs the suite on RQ); tests/background/ switch backends themselves.
os.environ.setdefault("TASKS_URL", "immediate")
os.environ.setdefault("EMAIL_URL", "memory:")
# Webhook tests run their receivers on loopback; the refusal tests turn this off.
os.environ.setdefault("FACTCHECK_WEBHOOK_ALLOW_PRIVATE", "true")
# Signed in with a password alone, as force_login signs in; tests/twofactor/ turn it on.
os.environ.setdefault("FACTCHECK_REQUIRE_2FA", "false")

from factcheck.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Serve static files from the apps' folders, as in development: tests do not run collectstatic.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True

# Test threads (live server, race tests) close their connections: test databases can be dropped.
DATABASES["default"]["CONN_MAX_AGE"] = 0  # noqa: F405
FACTCHECK_SIGNOFF = (
    False  # everything but sign-off is tested as a one-person desk; tests/signoff/ turn it on
)
