"""The API's documentation pages for people, Swagger UI and ReDoc (vendored by
drf-spectacular-sidecar), on templates that load only files, as the desk's
Content-Security-Policy asks: no inline script, no inline style, no font from elsewhere."""

from csp.constants import NONCE
from csp.decorators import csp_update
from django.utils.decorators import method_decorator
from drf_spectacular.views import SpectacularRedocView, SpectacularSwaggerSplitView


class SwaggerView(SpectacularSwaggerSplitView):
    """Swagger UI; the split view serves its start-up script as a file, from this address."""

    template_name = "api/swagger_ui.html"


# ReDoc is the one page the policy is widened for, and by no 'unsafe-inline'. It writes its
# styles as <style> elements while it runs (styled-components): those carry this response's
# nonce, which api/redoc.html hands to ReDoc. Before it can be given one, as its bundle loads,
# it writes one more: perfect-scrollbar's stylesheet, into an element made empty first; those
# two texts are allowed by their hashes. A new redoc.standalone.js (drf-spectacular-sidecar)
# may change that text: Chromium then names the new hash in its refusal, which the browser test
# (tests/web/test_browser_headers.py) shows. Its search runs in a worker it makes from a blob.
REDOC_BUNDLE_STYLES = [
    "'sha256-QMIg+bpjm3JdElJ388KYke01izlUW0UoNOeKjpMxdgc='",  # perfect-scrollbar's stylesheet
    "'sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU='",  # the empty element it starts as
]
REDOC_POLICY = {"style-src": [NONCE, *REDOC_BUNDLE_STYLES], "worker-src": ["blob:"]}


@method_decorator(csp_update(REDOC_POLICY), name="dispatch")
class RedocView(SpectacularRedocView):
    """ReDoc, started by a script file (js/redoc.js) rather than an inline script."""

    template_name = "api/redoc.html"
