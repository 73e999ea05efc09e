"""Routes of the REST API, its schema and its documentation pages."""

from django.contrib.auth.decorators import login_required
from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView
from rest_framework.routers import SimpleRouter

from claims.api import claims, discussion, docs, history, problems, sources, webhooks, workflow

router = SimpleRouter()
router.register("claims", claims.ClaimViewSet, basename="api-claim")
CLAIM = r"claims/(?P<claim_id>[0-9]+)"
for part, viewset, basename in (
    ("evidence", workflow.EvidenceViewSet, "api-evidence"),
    ("assignments", workflow.AssignmentViewSet, "api-assignment"),
    ("state", workflow.StateViewSet, "api-state"),
    ("proposals", workflow.ProposalViewSet, "api-proposal"),
    ("decision", workflow.DecisionViewSet, "api-decision"),
    ("review-mode", workflow.ReviewModeViewSet, "api-review-mode"),
    ("comments", discussion.CommentViewSet, "api-comment"),
    ("events", history.AuditEventViewSet, "api-event"),
):
    router.register(f"{CLAIM}/{part}", viewset, basename=basename)
router.register("sources", sources.SourceViewSet, basename="api-source")
router.register("webhooks", webhooks.WebhookEndpointViewSet, basename="api-webhook")
router.register(
    r"webhooks/(?P<endpoint_id>[0-9]+)/deliveries",
    webhooks.WebhookDeliveryViewSet,
    basename="api-webhook-delivery",
)
router.register("feed/claimreview", history.ClaimReviewFeedViewSet, basename="api-feed")

urlpatterns = [
    path("v1/", include(router.urls)),
    path("v1/exports/<str:export_format>/", history.ExportView.as_view(), name="api-export"),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    # Pages for people: signed in through the desk's login, as every other page; their
    # templates load only files, for the Content-Security-Policy (claims/api/docs.py).
    path(
        "docs/",
        login_required(docs.SwaggerView.as_view(url_name="api-schema")),
        name="api-docs",
    ),
    path(
        "redoc/",
        login_required(docs.RedocView.as_view(url_name="api-schema")),
        name="api-redoc",
    ),
    re_path(r"^.*$", problems.not_found),
]
