"""URL configuration for factcheck."""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from claims.twofactor import views as twofactor_views

handler403 = "claims.web.views.errors.permission_denied"

urlpatterns = [
    # Two-factor sign-in (claims/twofactor/): the password step, then a code for those who
    # enrolled; the admin's login form, which would take a password alone, leads there too.
    path("login/", twofactor_views.PasswordStepView.as_view(), name="login"),
    path("admin/login/", twofactor_views.AdminSignInRedirect.as_view()),
    path("", include("claims.twofactor.urls")),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("admin/", admin.site.urls),
    path("api/", include("claims.api.urls")),
    path("", include("claims.web.urls")),
]
