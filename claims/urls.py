"""Routes of the claims app. The editor UI replaces these redirects to the admin."""

from django.urls import path, reverse
from django.views.generic import RedirectView

app_name = "claims"


class ClaimAdminRedirect(RedirectView):
    """Until the editor UI exists, a claim's page is its admin page."""

    def get_redirect_url(self, *args, **kwargs):
        return reverse("admin:claims_claim_change", args=[kwargs["pk"]])


urlpatterns = [
    path("", RedirectView.as_view(pattern_name="admin:index"), name="home"),
    path("claims/<int:pk>/", ClaimAdminRedirect.as_view(), name="detail"),
]
