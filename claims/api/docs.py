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


# ReDoc is the one page the policy is widened for, and by no 'unsafe-inline': it writes its
# styles as <style> elements while it runs (styled-components), which carry this response's
# nonce (api/redoc.html hands it to ReDoc), and its search runs in a worker it makes from a blob.
@method_decorator(csp_update({"style-src": [NONCE], "worker-src": ["blob:"]}), name="dispatch")
class RedocView(SpectacularRedocView):
    """ReDoc, started by a script file (js/redoc.js) rather than an inline script."""

    template_name = "api/redoc.html"
