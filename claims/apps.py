from axes.apps import AppConfig as AxesConfig
from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from django_tasks_db.apps import TasksAppConfig


class ClaimsConfig(AppConfig):
    default = True  # the app's config; BackgroundTasksConfig below is django_tasks_db's
    default_auto_field = "django.db.models.BigAutoField"
    name = "claims"
    verbose_name = _("Fact-check desk")

    def ready(self):
        from django.contrib.auth.signals import user_logged_in
        from django.db.models.signals import post_migrate

        from claims.selectors.people import forget_permission_ids
        from claims.signin.idle import note_sign_in

        # Any app's post_migrate (flush sends it too) may have written permission rows again.
        post_migrate.connect(forget_permission_ids, dispatch_uid="claims.forget_permission_ids")
        post_migrate.connect(create_cache_table, sender=self, dispatch_uid="claims.cache_table")
        user_logged_in.connect(note_sign_in, dispatch_uid="claims.note_sign_in")


def create_cache_table(using="default", **kwargs):
    """``migrate`` also makes the database cache's table (CACHE_URL=database), so a new desk
    needs no second command; ``createcachetable`` skips a table that exists."""
    from django.core.management import call_command

    call_command("createcachetable", database=using, verbosity=0)


class BackgroundTasksConfig(TasksAppConfig):
    """django-tasks-db as the admin names it: its own name is English only ("Tasks Database
    Backend"), and staff read the failed tasks there."""

    verbose_name = _("Background tasks")


class SignInRecordsConfig(AxesConfig):
    """django-axes as the admin names it: its own name ("Axes") says nothing to an editor, and
    is English only; editors find who is locked out there (claims/admin/signin.py)."""

    verbose_name = _("Sign-in records")
