"""Routes of the editor UI."""

from django.urls import path

from claims.web.views import (
    account,
    agreement,
    claim,
    corrections,
    dashboard,
    discussion,
    editing,
    notifications,
    packet,
    password,
    queue,
    signoff,
    verification,
    webhooks,
)

app_name = "claims"

urlpatterns = [
    path("", queue.home, name="home"),
    # Public: no sign-in (claims/web/views/verification.py).
    path("verify/", verification.verify_index, name="verify"),
    path("verify/<int:pk>/", verification.verify_claim, name="verify_claim"),
    path("verify/<int:pk>/proof.json", verification.verify_claim_proof, name="verify_proof"),
    path("claims/", queue.claim_list, name="list"),
    path("claims/density/", queue.queue_density_update, name="density"),
    path("dashboard/", dashboard.dashboard, name="dashboard"),
    path("corrections/", corrections.corrections, name="corrections"),
    path("dashboard/stages/<str:stage>/", dashboard.stage_slowest, name="stage_slowest"),
    path("claims/mine/", queue.my_queue, name="my_queue"),
    path("claims/export/<str:export_format>/", queue.claim_export, name="export"),
    path("claims/new/", editing.claim_create, name="create"),
    path("claims/<int:pk>/", claim.claim_detail, name="detail"),
    path("claims/<int:pk>/edit/", editing.claim_edit, name="edit"),
    path("claims/<int:pk>/evidence/<str:stance>/", claim.evidence_add, name="evidence_add"),
    path(
        "claims/<int:pk>/evidence/<int:evidence_id>/retract/",
        claim.evidence_retract,
        name="evidence_retract",
    ),
    path("claims/<int:pk>/assignments/", claim.reviewer_assign, name="assign"),
    path(
        "claims/<int:pk>/assignments/<int:assignment_id>/done/",
        claim.assignment_complete,
        name="assignment_complete",
    ),
    path(
        "claims/<int:pk>/assignments/<int:assignment_id>/withdraw/",
        claim.assignment_withdraw,
        name="assignment_withdraw",
    ),
    path("claims/<int:pk>/state/", claim.state_change, name="state_change"),
    path("claims/<int:pk>/comments/", discussion.comment_add, name="comment_add"),
    path(
        "claims/<int:pk>/comments/<int:comment_id>/edit/",
        discussion.comment_edit,
        name="comment_edit",
    ),
    path(
        "claims/<int:pk>/comments/<int:comment_id>/hide/",
        discussion.comment_hide,
        name="comment_hide",
    ),
    path("claims/<int:pk>/packet/", packet.review_packet, name="review_packet"),
    path("people/mentions/", discussion.mention_search, name="mention_search"),
    path(
        "claims/<int:pk>/proposals/<int:proposal_id>/sign-off/",
        signoff.verdict_sign_off,
        name="verdict_sign_off",
    ),
    path(
        "claims/<int:pk>/proposals/<int:proposal_id>/return/",
        signoff.verdict_return,
        name="verdict_return",
    ),
    path("claims/<int:pk>/decide/", signoff.verdict_decide, name="verdict_decide"),
    path("claims/<int:pk>/review-mode/", signoff.review_mode, name="review_mode"),
    path(
        "claims/<int:pk>/proposals/<int:proposal_id>/withdraw/",
        signoff.verdict_withdraw,
        name="verdict_withdraw",
    ),
    path("claims/<int:pk>/watch/", notifications.claim_watch, name="watch"),
    path("notifications/", notifications.inbox, name="inbox"),
    path("notifications/read/", notifications.notifications_read, name="notifications_read"),
    path("notifications/<int:pk>/open/", notifications.notification_open, name="notification_open"),
    path("settings/", account.settings_page, name="settings"),
    path("settings/tokens/", account.token_create, name="token_create"),
    path("settings/tokens/<int:pk>/revoke/", account.token_revoke, name="token_revoke"),
    path("settings/password/", password.PasswordChangeView.as_view(), name="password_change"),
    path("sources/new/", editing.source_create, name="source_create"),
    path("sources/<int:pk>/edit/", editing.source_edit, name="source_edit"),
    path("webhooks/", webhooks.webhook_list, name="webhooks"),
    path("webhooks/<int:pk>/", webhooks.webhook_detail, name="webhook_detail"),
    path("webhooks/<int:pk>/switch/", webhooks.webhook_switch, name="webhook_switch"),
    path("webhooks/<int:pk>/rotate/", webhooks.webhook_rotate, name="webhook_rotate"),
    path("webhooks/<int:pk>/delete/", webhooks.webhook_delete, name="webhook_delete"),
    path(
        "webhooks/<int:pk>/deliveries/<int:delivery_id>/redeliver/",
        webhooks.webhook_redeliver,
        name="webhook_redeliver",
    ),
    # Behind the dashboard's agreement figures.
    path("dashboard/disagreements/", agreement.disagreements, name="disagreements"),
]
