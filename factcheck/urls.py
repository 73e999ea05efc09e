"""URL configuration for factcheck."""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from claims.twofactor import views as twofactor_views
from claims.web.views import password

handler403 = "claims.web.views.errors.permission_denied"

urlpatterns = [
    # Two-factor sign-in (claims/twofactor/): the password step, then a code for those who
    # enrolled; the admin's login form, which would take a password alone, leads there too.
    path("login/", twofactor_views.PasswordStepView.as_view(), name="login"),
    path("admin/login/", twofactor_views.AdminSignInRedirect.as_view()),
    path("", include("claims.twofactor.urls")),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    # Password reset by e-mail, under Django's URL names and template names (templates/
    # registration/ has the desk's); changing a password is under /settings/.
    path("password-reset/", password.PasswordResetView.as_view(), name="password_reset"),
    path(
        "password-reset/sent/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "password-reset/<uidb64>/<token>/",
        password.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "password-reset/done/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path("admin/", admin.site.urls),
    path("api/", include("claims.api.urls")),
    path("", include("claims.web.urls")),
]
