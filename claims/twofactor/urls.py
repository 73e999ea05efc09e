"""Routes of two-factor sign-in: the sign-in's code step and each person's enrolment."""

from django.urls import path

from . import views

app_name = "twofactor"

urlpatterns = [
    path("login/code/", views.sign_in_code, name="sign_in_code"),
    path("settings/two-factor/", views.two_factor_page, name="manage"),
    path("settings/two-factor/start/", views.enrolment_start, name="start"),
    path("settings/two-factor/confirm/", views.enrolment_confirm, name="confirm"),
    path("settings/two-factor/cancel/", views.enrolment_cancel, name="cancel"),
    path(
        "settings/two-factor/recovery-codes/",
        views.recovery_codes_regenerate,
        name="recovery_codes",
    ),
    path("settings/two-factor/disable/", views.two_factor_disable, name="disable"),
]
