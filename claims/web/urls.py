"""Routes of the editor UI."""

from django.urls import path

from claims.web import views

app_name = "claims"

urlpatterns = [
    path("", views.home, name="home"),
    path("claims/", views.claim_list, name="list"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("claims/mine/", views.my_queue, name="my_queue"),
    path("claims/export/<str:export_format>/", views.claim_export, name="export"),
    path("claims/new/", views.claim_create, name="create"),
    path("claims/<int:pk>/", views.claim_detail, name="detail"),
    path("claims/<int:pk>/edit/", views.claim_edit, name="edit"),
    path("claims/<int:pk>/evidence/<str:stance>/", views.evidence_add, name="evidence_add"),
    path(
        "claims/<int:pk>/evidence/<int:evidence_id>/retract/",
        views.evidence_retract,
        name="evidence_retract",
    ),
    path("claims/<int:pk>/assignments/", views.reviewer_assign, name="assign"),
    path(
        "claims/<int:pk>/assignments/<int:assignment_id>/done/",
        views.assignment_complete,
        name="assignment_complete",
    ),
    path(
        "claims/<int:pk>/assignments/<int:assignment_id>/withdraw/",
        views.assignment_withdraw,
        name="assignment_withdraw",
    ),
    path("claims/<int:pk>/state/", views.state_change, name="state_change"),
    path("sources/new/", views.source_create, name="source_create"),
    path("sources/<int:pk>/edit/", views.source_edit, name="source_edit"),
]
