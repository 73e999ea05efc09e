"""The desk's pages are valid HTML, as the Nu HTML Checker (vnu) reads them.

Every main page is rendered through Django's test client as the role that sees it, written to a
file, and all of them are checked in one run of vnu.jar (a JVM start costs seconds). The jar comes
from npm (package.json, installed by ``python3 dev.py test``); the checker needs Java.
"""

import datetime
import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.web.pages import build_desk, render_pages

ROOT = Path(__file__).resolve().parent.parent.parent
VNU_JAR = Path(os.environ.get("VNU_JAR") or ROOT / "node_modules/vnu-jar/build/dist/vnu.jar")
JAVA = os.environ.get("JAVA") or shutil.which("java")

pytestmark = pytest.mark.django_db

# htmx's attributes (hx-get, hx-target, ...) are htmx's, not HTML's: vnu knows none of them.
HTMX_ATTRIBUTES = r"Attribute “hx-[a-z-]+” not allowed on element “[a-z]+” at this point\."

# What vnu reports that the templates cannot mend, by its origin: (the pages, the message).
NOT_THE_TEMPLATES = {
    "Django's admin sidebar (admin/app_list.html) heads three columns and fills two": (
        "admin bulk action",
        r"A table row was 2 columns wide, which is less than the column count established by "
        r"the first row \(3\)\.",
    ),
}

# A fragment that htmx swaps into a page is checked inside a minimal document.
FRAGMENT = (
    '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{name}</title></head>'
    "<body>{html}</body></html>"
)


def vnu_messages(files: list[Path]) -> list[dict]:
    """vnu's messages for ``files`` but the purely informative ones, from one run."""
    if not VNU_JAR.is_file():
        pytest.fail(
            f"The Nu HTML Checker is not installed ({VNU_JAR} is missing): run "
            "`python3 dev.py test`, which installs it with npm (package.json), or `npm ci "
            "--ignore-scripts` in the project's folder, or set VNU_JAR to a vnu.jar."
        )
    command = [JAVA, "-jar", str(VNU_JAR), "--format", "json", "--exit-zero-always"]
    command += ["--filterpattern", HTMX_ATTRIBUTES]
    result = subprocess.run(
        [*command, *map(str, files)], capture_output=True, text=True, timeout=300, check=False
    )
    try:
        report = json.loads(result.stderr)
    except json.JSONDecodeError:
        pytest.fail(f"vnu gave no report (exit {result.returncode}):\n{result.stderr[-2000:]}")
    return [m for m in report["messages"] if m["type"] != "info" or m.get("subType") == "warning"]


def page_name(message: dict, names: dict[str, str]) -> str:
    return names.get(Path(message.get("url", "")).name, message.get("url", "?"))


def not_the_templates(message: dict, names: dict[str, str]) -> str | None:
    """The origin of ``message`` if it is one of NOT_THE_TEMPLATES."""
    page = page_name(message, names)
    for origin, (pages, pattern) in NOT_THE_TEMPLATES.items():
        if re.fullmatch(pages, page) and re.fullmatch(pattern, message["message"]):
            return origin
    return None


def describe(message: dict, names: dict[str, str]) -> str:
    page = page_name(message, names)
    where = f"line {message['lastLine']}" if "lastLine" in message else "document"
    extract = " ".join(message.get("extract", "").split())
    return f"{page} ({where}): {message['message']}\n    {extract}"


@pytest.mark.skipif(
    JAVA is None,
    reason="no Java found: the Nu HTML Checker needs a Java runtime "
    "(apt-get install default-jre-headless, or set JAVA to a java executable)",
)
def test_main_pages_pass_the_nu_html_checker(tmp_path):
    desk = build_desk()
    files, names = [], {}
    for page, html in render_pages(desk):
        if page.htmx_target:
            html = FRAGMENT.format(name=page.name, html=html)
        file = tmp_path / (re.sub(r"\W+", "-", page.name).strip("-") + ".html")
        file.write_text(html, encoding="utf-8")
        files.append(file)
        names[file.name] = page.name

    problems, seen = [], set()
    for message in vnu_messages(files):
        origin = not_the_templates(message, names)
        if origin is None:
            problems.append(describe(message, names))
        seen.add(origin)

    assert not problems, f"vnu found {len(problems)} problems:\n" + "\n".join(problems)
    gone = set(NOT_THE_TEMPLATES) - seen
    assert not gone, f"vnu no longer reports these: remove them from NOT_THE_TEMPLATES: {gone}"


# Defects vnu found, each pinned where it was ------------------------------------------------------


def _th_with_link_to(html: str, sort: str) -> str:
    """The ``<th>`` tag whose cell holds the sort link to ``sort``."""
    link = rf'href="\?(?:[^"]*&(?:amp;)?)?sort={re.escape(sort)}[&"]'
    cell = re.search(rf"<th [^>]*>(?:(?!</th>).)*{link}", html, re.S)
    assert cell, f"no column header links to sort={sort}"
    return re.match(r"<th [^>]*>", cell.group()).group()


@pytest.mark.parametrize(
    ("sort", "link", "order"),
    [
        ("updated", "-updated", "descending"),  # newest change first
        ("-updated", "updated", "ascending"),
        ("claimant", "-claimant", "ascending"),  # A to Z
        ("-claimant", "claimant", "descending"),
        ("supporting", "-supporting", "descending"),  # most links first
        ("-contradicting", "contradicting", "ascending"),
    ],
)
def test_sort_order_is_told_on_the_column_header(client, editor, claim, sort, link, order):
    client.force_login(editor)
    html = client.get(f"/claims/?sort={sort}").content.decode()

    assert f'aria-sort="{order}"' in _th_with_link_to(html, link)
    assert html.count("aria-sort=") == 1
    assert not re.search(r"<a [^>]*aria-sort", html)


# HTML's dates and times: at most three digits of a second, and a zone as Z or +hh:mm / +hhmm.
VALID_DATETIME = re.compile(
    r"\d{4}-\d\d-\d\d(?:T\d\d:\d\d(?::\d\d(?:\.\d{1,3})?)?(?:Z|[+-]\d\d:?\d\d))?"
)


def test_times_on_the_claim_page_and_dashboard_are_valid_html_datetimes(client, editor, claim):
    client.force_login(editor)
    pages = [client.get(claim.get_absolute_url()), client.get("/dashboard/")]
    values = [v for page in pages for v in re.findall(r'datetime="([^"]*)"', page.content.decode())]

    assert len(values) >= 2  # the claim's creation, in its history and in the desk's activity
    assert [v for v in values if not VALID_DATETIME.fullmatch(v)] == []
    created = claim.audit_events.get().created_at
    assert datetime.datetime.strptime(values[0], "%Y-%m-%dT%H:%M:%S%z") == created.replace(
        microsecond=0
    )


def test_claim_page_ids_are_unique(client, editor, assigned_claim):
    client.force_login(editor)
    html = client.get(assigned_claim.get_absolute_url()).content.decode()

    ids = re.findall(r'\sid="([^"]+)"', html)
    assert ids
    assert sorted({i for i in ids if ids.count(i) > 1}) == []
