"""Check a running factcheck over HTTP: the login page, a sign-in, and a task the worker runs.

    python deploy/smoke_check.py --url http://127.0.0.1:8000 --username smoke --password ... \
        --email smoke@example.org --mail-dir /tmp/mail

Waits for the server to answer, signs in with the login form (its CSRF token, as a browser
does), opens the queue, then asks for a password reset: the request only enqueues the mail,
so a file appearing in --mail-dir (EMAIL_URL=file://...) shows the worker ran the task.
Exits non-zero with the first step that failed. Only the standard library: it runs anywhere.
"""

import argparse
import http.cookiejar
import re
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

CSRF_FIELD = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


class SmokeFailure(Exception):
    pass


class Browser:
    """Cookies kept across requests, redirects followed, every answer's status and body."""

    def __init__(self, base: str, timeout: float):
        self.base, self.timeout = base.rstrip("/"), timeout
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
        )

    def open(self, path: str, form: dict | None = None) -> tuple[int, str, str]:
        url = self.base + path
        data = urllib.parse.urlencode(form).encode() if form is not None else None
        request = urllib.request.Request(url, data=data, headers={"Referer": url})  # noqa: S310
        try:
            with self.opener.open(request, timeout=self.timeout) as response:
                return response.status, response.geturl(), response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.geturl(), error.read().decode(errors="replace")

    def form_token(self, path: str) -> str:
        _, _, body = self.expect(path, 200)
        match = CSRF_FIELD.search(body)
        if match is None:
            raise SmokeFailure(f"{path} has no CSRF token in its form")
        return match.group(1)

    def expect(self, path: str, status: int, form: dict | None = None) -> tuple[int, str, str]:
        answer = self.open(path, form)
        if answer[0] != status:
            raise SmokeFailure(
                f"{'POST' if form else 'GET'} {path}: {answer[0]}, not {status} "
                f"(ended at {answer[1]}):\n{answer[2][:2000]}"
            )
        return answer


def wait_for_server(browser: Browser, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while True:
        try:
            browser.open("/login/")
            return
        except OSError as error:
            if time.monotonic() > deadline:
                message = f"{browser.base} did not answer in {seconds:.0f} s: {error}"
                raise SmokeFailure(message) from error
            time.sleep(0.2)


def sign_in(browser: Browser, username: str, password: str) -> None:
    token = browser.form_token("/login/")
    form = {"csrfmiddlewaretoken": token, "username": username, "password": password, "next": ""}
    _, landed, body = browser.expect("/login/", 200, form)
    if urllib.parse.urlsplit(landed).path != "/claims/":
        raise SmokeFailure(f"signing in led to {landed}, not the queue:\n{body[:2000]}")
    if username not in body or "/logout/" not in body:
        raise SmokeFailure("the queue after signing in does not show the person signed in")
    browser.expect("/claims/", 200)


def mail_from_the_worker(browser: Browser, email: str, mail_dir: Path, seconds: float) -> Path:
    before = set(mail_dir.glob("*")) if mail_dir.exists() else set()
    token = browser.form_token("/password-reset/")
    browser.expect("/password-reset/", 200, {"csrfmiddlewaretoken": token, "email": email})
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        new = set(mail_dir.glob("*")) - before if mail_dir.exists() else set()
        for path in new:
            text = path.read_text(errors="replace")
            if email in text and "/password-reset/" in text:
                return path
        time.sleep(0.2)
    raise SmokeFailure(f"no reset mail for {email} in {mail_dir} after {seconds:.0f} s")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", required=True)
    parser.add_argument("--username", required=True)
    parser.add_argument("--password", required=True)
    parser.add_argument("--email", required=True)
    parser.add_argument("--mail-dir", required=True, type=Path)
    parser.add_argument("--wait", type=float, default=60, help="seconds for the server to start")
    parser.add_argument("--task-timeout", type=float, default=60)
    args = parser.parse_args()

    browser = Browser(args.url, timeout=30)
    steps = [
        ("the server answers", lambda: wait_for_server(browser, args.wait)),
        ("the login page is 200", lambda: browser.expect("/login/", 200)),
        ("signing in opens the queue", lambda: sign_in(browser, args.username, args.password)),
        (
            "the worker sends the reset mail",
            lambda: mail_from_the_worker(browser, args.email, args.mail_dir, args.task_timeout),
        ),
    ]
    for name, step in steps:
        started = time.monotonic()
        try:
            step()
        except SmokeFailure as failure:
            print(f"smoke check FAILED: {name}: {failure}", file=sys.stderr)
            return 1
        print(f"ok  {name} ({time.monotonic() - started:.1f} s)", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
