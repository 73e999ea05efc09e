"""The headers every response carries: a Content-Security-Policy without 'unsafe-inline' or
'unsafe-eval' for scripts and styles, and ``Cache-Control: private, no-store`` on everything but
static files; and the templates that keep the policy possible (no inline script or style).

Every pattern of the URL configuration is requested, its path parameters filled with rows made
here; a pattern this module cannot fill fails the test rather than being left out.
"""

import re
from pathlib import Path

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib import admin
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.urls import URLPattern, URLResolver, get_resolver, resolve
from django_tasks_db.models import DBTaskResult

from claims import clock, services
from claims.api.docs import REDOC_BUNDLE_STYLES
from claims.interchange import exports
from claims.interchange.exports import html
from claims.models import (
    AuditEvent,
    Channel,
    Notification,
    NotificationKind,
    ReviewState,
    Stage,
    Stance,
    WebhookDelivery,
    WebhookEndpoint,
)
from tests.conftest import add_evidence
from tests.factories import IndependentProposalFactory

ROOT = Path(__file__).resolve().parents[2]

# Every widening of the policy, by the view's URL name, and what it adds (claims/api/docs.py,
# claims/interchange/exports/html.py): never 'unsafe-inline' or 'unsafe-eval'.
REPORT = {"style-src": "'sha256-", "script-src": "'sha256-"}  # the report's own style and script
WIDENED = {
    "claims:export": REPORT,
    "claims:review_packet": REPORT,
    "api-export": REPORT,
    # ReDoc's styles: by nonce, and the two its bundle writes before it has one; its worker.
    "api-redoc": {"style-src": ("'nonce-", "'sha256-"), "worker-src": "blob:"},
}
BASE_POLICY = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'"],
    "img-src": ["'self'", "data:"],
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
    "frame-ancestors": ["'none'"],
    "form-action": ["'self'"],
}
SCRIPT_AND_STYLE = ("script-src", "script-src-elem", "script-src-attr")
SCRIPT_AND_STYLE += ("style-src", "style-src-elem", "style-src-attr", "default-src")
UNSAFE = ("'unsafe-inline'", "'unsafe-eval'", "'unsafe-hashes'")

# A parameter in a route: <converter:name>, <name> or (?P<name>...).
PARAMETER = re.compile(r"<(?:\w+:)?(?P<route>\w+)>|\(\?P<(?P<regex>\w+)>[^)]*\)")
# Patterns whose path is given whole: they match what no other pattern does.
WHOLE_PATHS = {"api/^.*$": "/api/no-such-endpoint/"}


def leaf_patterns(resolver=None, prefix="", namespace=""):
    """(route, URL name) of every pattern, resolvers walked into, in the order Django tries them."""
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            inner = namespace
            if pattern.namespace:
                inner = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
            yield from leaf_patterns(pattern, route, inner)
        else:
            assert isinstance(pattern, URLPattern)
            name = pattern.name and (f"{namespace}:{pattern.name}" if namespace else pattern.name)
            yield route, name


def segment_before(route: str, start: int) -> str:
    """The last literal part of ``route`` before ``start``: what a parameter there names."""
    parts = [p for p in route[:start].replace("^", "").split("/") if p and not PARAMETER.match(p)]
    return parts[-1]


@pytest.fixture
def rows(staff_editor, reviewer, source):
    """One row of everything a path names, and the values each (segment, parameter) takes."""
    claim = services.claim_create(
        actor=staff_editor,
        text="The ferry carried 2 million people last year.",
        claimant="Harbour board",
        appearances=[services.AppearanceInput(source, "2 million passengers")],
    )
    evidence = add_evidence(claim, staff_editor, Stance.SUPPORTS)
    services.reviewer_assign(actor=staff_editor, claim=claim, reviewer=reviewer)
    claim.refresh_from_db()
    assignment = claim.assignments.get()
    comment = services.comment_add(actor=staff_editor, claim=claim, text="Ask the board.")
    proposal = IndependentProposalFactory(
        claim=claim, proposed_by=reviewer, state=ReviewState.CORROBORATED
    )
    notification = Notification.objects.create(
        recipient=staff_editor,
        kind=NotificationKind.ASSIGNED,
        claim=claim,
        channel=Channel.IN_APP,
        created_at=clock.now(),
    )
    token, _secret = services.api_token_create(actor=staff_editor, name="headers")
    endpoint = WebhookEndpoint.objects.create(
        url="https://hooks.example.org/",
        event_types=["claim.created"],
        secret="whsec_c2VjcmV0",
        owner=staff_editor,
        created_at=clock.now(),
        updated_at=clock.now(),
    )
    delivery = WebhookDelivery.objects.create(
        endpoint=endpoint,
        event=AuditEvent.objects.filter(claim_id=claim.pk).first(),
        event_type="claim.created",
        payload={},
        created_at=clock.now(),
    )
    task = DBTaskResult.objects.create(
        task_path="claims.notifications.tasks.announce_event",
        args_kwargs={"args": [1], "kwargs": {}},
        backend_name="default",
        queue_name="default",
        priority=0,
    )
    formats = list(exports.FORMATS)
    values = {
        # the desk's pages
        ("claims", "pk"): claim.pk,
        ("evidence", "evidence_id"): evidence.pk,
        ("evidence", "stance"): Stance.SUPPORTS,
        ("assignments", "assignment_id"): assignment.pk,
        ("comments", "comment_id"): comment.pk,
        ("proposals", "proposal_id"): proposal.pk,
        ("notifications", "pk"): notification.pk,
        ("tokens", "pk"): token.pk,
        ("sources", "pk"): source.pk,
        ("webhooks", "pk"): endpoint.pk,
        ("deliveries", "delivery_id"): delivery.pk,
        ("stages", "stage"): [stage.value for stage in Stage],
        ("export", "export_format"): formats,
        # public: a verdict's check (its claim unpublished here: a 404 carries them too)
        ("verify", "pk"): claim.pk,
        # a reset link that is no longer valid (its page says so)
        ("password-reset", "uidb64"): "MQ",
        ("password-reset", "token"): "set-password",
        # the API
        ("claims", "claim_id"): claim.pk,
        ("evidence", "pk"): evidence.pk,
        ("assignments", "pk"): assignment.pk,
        ("proposals", "pk"): proposal.pk,
        ("comments", "pk"): comment.pk,
        ("webhooks", "endpoint_id"): endpoint.pk,
        ("deliveries", "pk"): delivery.pk,
        ("exports", "export_format"): formats,
        # the admin
        ("r", "content_type_id"): ContentType.objects.get_for_model(claim).pk,
        ("r", "object_id"): claim.pk,
        ("user", "id"): staff_editor.pk,
        ("admin", "app_label"): "claims",
        ("admin", "url"): "no-such-page/",
    }
    objects = {
        "claim": claim,
        "evidence": evidence,
        "assignment": assignment,
        "source": source,
        "notification": notification,
        "auditevent": AuditEvent.objects.filter(claim_id=claim.pk).first(),
        "webhookendpoint": endpoint,
        "webhookdelivery": delivery,
        "dbtaskresult": task,
        "user": staff_editor,
        "group": Group.objects.get(name="Editors"),
        # Sign-in records (claims/admin/signin.py).
        "accessattempt": AccessAttempt.objects.create(
            username="edna", ip_address="198.51.100.7", failures_since_start=5
        ),
        "accesslog": AccessLog.objects.create(username="edna", ip_address="198.51.100.7"),
        "accessfailurelog": AccessFailureLog.objects.create(
            username="edna", ip_address="198.51.100.7"
        ),
    }
    registered = {model._meta.model_name for model in admin.site._registry}
    assert registered == set(objects), "an admin model without a row here"
    values |= {(model, "object_id"): obj.pk for model, obj in objects.items()}
    return values


def paths_of(route: str, values: dict) -> list[str]:
    """The paths that reach ``route``: one per value of a parameter given several."""
    if route in WHOLE_PATHS:
        return [WHOLE_PATHS[route]]
    paths = [route]
    for match in PARAMETER.finditer(route):
        key = (segment_before(route, match.start()), match["route"] or match["regex"])
        if key not in values:
            raise LookupError(f"{route}: no value for {key}")
        given = values[key] if isinstance(values[key], list) else [values[key]]
        paths = [path.replace(match[0], str(value), 1) for path in paths for value in given]
    return ["/" + path.replace("^", "").replace("$", "") for path in paths]


def every_path(values: dict) -> list[tuple[str, str, str]]:
    """(route, URL name, path) for every pattern; fails naming any it cannot fill."""
    found, unfilled = [], []
    for route, name in leaf_patterns():
        try:
            paths = paths_of(route, values)
        except LookupError as error:
            unfilled.append(str(error))
            continue
        for path in paths:
            reached = resolve(path).route  # which drops the "^" of an included regex
            assert reached == route.replace("^", ""), f"{path} reaches {reached}, not {route}"
            found.append((route, name, path))
    assert not unfilled, "patterns this test cannot fill:\n" + "\n".join(unfilled)
    return found


def policy(response) -> dict[str, list[str]]:
    header = response.get("Content-Security-Policy")
    assert header, "no Content-Security-Policy"
    directives = (part.split() for part in header.split(";") if part.strip())
    return {name: sources for name, *sources in directives}


def policy_problems(response, name) -> list[str]:
    """How the response's policy differs from the desk's, beyond what WIDENED lists."""
    given = policy(response)
    problems = [
        f"{directive} {source}"
        for directive in SCRIPT_AND_STYLE
        for source in given.get(directive, [])
        if source in UNSAFE
    ]
    widened = WIDENED.get(name, {})
    for directive in set(BASE_POLICY) | set(given):
        extra = [s for s in given.get(directive, []) if s not in BASE_POLICY.get(directive, [])]
        allowed = widened.get(directive)
        if any(not (allowed and source.startswith(allowed)) for source in extra):
            problems.append(f"{directive}: {extra}")
        if missing := set(BASE_POLICY.get(directive, [])) - set(given.get(directive, [])):
            problems.append(f"{directive} lacks {missing}")
    return problems


def test_every_pattern_is_requested_and_the_export_formats_each_once(rows):
    routes = {route for route, _name, _path in every_path(rows)}
    assert routes == {route for route, _name in leaf_patterns()}
    paths = [path for _route, name, path in every_path(rows) if name == "claims:export"]
    assert len(paths) == len(exports.FORMATS)


def test_every_response_to_an_editor_has_the_policy_and_no_store(client, rows, staff_editor):
    client.force_login(staff_editor)
    failures, statuses = [], {}
    for _route, name, path in every_path(rows):
        response = client.get(path)
        statuses[path] = response.status_code
        if response.streaming:
            b"".join(response.streaming_content)
        if response.status_code >= 500:
            failures.append(f"{path}: {response.status_code}")
        failures += [f"{path}: {problem}" for problem in policy_problems(response, name)]
        cache = response.get("Cache-Control", "")
        if "no-store" not in cache or "private" not in cache:
            failures.append(f"{path}: Cache-Control {cache!r}")
    assert not failures, "\n".join(failures)
    # The pages themselves were read, not only refusals: the desk's, the API's and the exports.
    for path in ("/claims/", "/api/v1/claims/", "/api/docs/", "/api/redoc/", "/admin/"):
        assert statuses[path] == 200, path
    assert all(statuses[f"/claims/export/{name}/"] == 200 for name in exports.FORMATS)
    assert all(statuses[f"/api/v1/exports/{name}/"] == 200 for name in exports.FORMATS)


def test_every_response_to_nobody_signed_in_has_the_policy_and_no_store(client, rows):
    failures = []
    for _route, name, path in every_path(rows):
        response = client.get(path)
        failures += [f"{path}: {problem}" for problem in policy_problems(response, name)]
        if "no-store" not in response.get("Cache-Control", ""):
            failures.append(f"{path}: Cache-Control {response.get('Cache-Control')!r}")
    assert not failures, "\n".join(failures)
    assert "no-store" in client.get("/login/")["Cache-Control"]


def test_the_report_allows_its_own_style_and_script_by_their_hashes(client, rows, staff_editor):
    client.force_login(staff_editor)
    for path in (
        "/claims/export/html/",
        "/api/v1/exports/html/",
        f"/claims/{rows['claims', 'pk']}/packet/",
    ):
        response = client.get(path)
        assert response.status_code == 200, path
        page = b"".join(response).decode()
        given = policy(response)
        assert given["style-src"] == ["'self'", html.report_asset_source("style")], path
        assert given["script-src"] == ["'self'", html.report_asset_source("script")], path
        assert page.count("<style>") == page.count("<script>") == 1, path


def test_redoc_gets_a_nonce_for_its_styles_and_swagger_nothing_more(client, rows, staff_editor):
    client.force_login(staff_editor)
    redoc = client.get("/api/redoc/")
    nonce = re.search(r'nonce="([^"]+)"', redoc.content.decode())[1]
    assert policy(redoc)["style-src"] == ["'self'", f"'nonce-{nonce}'", *REDOC_BUNDLE_STYLES]
    assert policy(redoc)["worker-src"] == ["blob:"]
    assert client.get("/api/redoc/").content.decode().count(nonce) == 0  # one per response
    swagger = client.get("/api/docs/")
    assert policy(swagger) == BASE_POLICY
    for page in (redoc, swagger):  # nothing from elsewhere (ReDoc's template links Google Fonts)
        assert not re.search(r'(src|href)="(https?:)?//', page.content.decode())


def test_static_files_keep_their_own_caching(client, staff_editor):
    client.force_login(staff_editor)
    response = client.get("/static/css/factcheck.css")
    assert response.status_code == 200
    assert "no-store" not in response.get("Cache-Control", "")
    assert "Content-Security-Policy" in response


def test_a_view_can_opt_out_of_no_store(rf):
    from django.http import HttpResponse

    from claims.web.headers import NoStoreMiddleware, no_store_exempt

    @no_store_exempt
    def public(request):
        return HttpResponse("for everyone")

    def desk(request):
        return HttpResponse("for the desk")

    for view, expected in ((public, None), (desk, "private, no-store")):
        middleware = NoStoreMiddleware(view)
        request = rf.get("/")
        middleware.process_view(request, view, (), {})
        assert middleware(request).get("Cache-Control") == expected


def test_a_response_with_its_own_cache_control_keeps_it(client, rows, staff_editor):
    client.force_login(staff_editor)
    # The admin's never_cache says more than no-store; the middleware leaves it whole.
    assert client.get("/admin/")["Cache-Control"] == (
        "max-age=0, no-cache, no-store, must-revalidate, private"
    )


# The templates and scripts that keep the policy possible ------------------------------------------

TEMPLATES = ROOT / "templates"
EMAILS = TEMPLATES / "notifications"  # mails are not pages: mail programs want inline styles
INLINE = {
    "an inline script": re.compile(r"<script(?![^>]*\ssrc=)[^>]*>", re.IGNORECASE),
    "a style element": re.compile(r"<style", re.IGNORECASE),
    "a style attribute": re.compile(r"\sstyle=", re.IGNORECASE),
    "an event handler attribute": re.compile(r"\son[a-z]+=", re.IGNORECASE),
}
# What a script may not do under the policy (setting element.style properties is allowed).
SCRIPT_MISDEEDS = {
    "a style attribute": re.compile(r"setAttribute\(\s*['\"]style"),
    "eval": re.compile(r"\beval\(|new Function\("),
}


def test_no_page_template_has_inline_script_or_style():
    pages = [p for p in TEMPLATES.rglob("*.html") if EMAILS not in p.parents]
    assert len(pages) > 40
    found = [
        f"{path.relative_to(ROOT)}:{text[: match.start()].count(chr(10)) + 1}: {what}"
        for path in pages
        for text in [path.read_text()]
        for what, pattern in INLINE.items()
        for match in pattern.finditer(text)
    ]
    assert not found, "\n".join(found)


def test_no_python_module_writes_inline_style_or_handlers_into_html():
    modules = [*(ROOT / "claims").rglob("*.py"), *(ROOT / "factcheck").rglob("*.py")]
    patterns = {  # in a string of markup: the attribute's value is quoted
        "a style attribute": re.compile(r"""\sstyle=\\?["']""", re.IGNORECASE),
        "an event handler attribute": re.compile(r"""\son[a-z]+=\\?["']""", re.IGNORECASE),
    }
    found = [
        f"{path.relative_to(ROOT)}: {what}"
        for path in modules
        if "migrations" not in path.parts
        for what, pattern in patterns.items()
        if pattern.search(path.read_text())
    ]
    assert not found, "\n".join(found)


def test_the_desks_scripts_set_no_style_attribute_and_evaluate_nothing():
    scripts = list((ROOT / "static" / "js").glob("*.js"))
    assert scripts
    found = [
        f"{path.name}: {what}"
        for path in scripts
        for what, pattern in SCRIPT_MISDEEDS.items()
        if pattern.search(path.read_text())
    ]
    assert not found, "\n".join(found)
