"""Django's ModelBackend, reading a user's permissions in one query instead of two.

Written by hand because no maintained backend does only this: every desk request asks
``has_perm`` (the role checks in ``permissions``), and ModelBackend reads the user's own
permissions and their groups' in separate queries, two round trips on every page.
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Group, Permission
from django.db.models import Q

User = get_user_model()


class ModelBackendOneQuery(ModelBackend):
    """The same answers as ModelBackend (superusers hold every permission; inactive and
    anonymous users none; no object permissions), from one query."""

    def get_all_permissions(self, user_obj, obj=None):
        if not user_obj.is_active or user_obj.is_anonymous or obj is not None:
            return set()
        if not hasattr(user_obj, "_perm_cache"):
            if user_obj.is_superuser:
                perms = Permission.objects.all()
            else:
                granted = User.user_permissions.through.objects.filter(user=user_obj)
                through_groups = Group.permissions.through.objects.filter(group__user=user_obj)
                perms = Permission.objects.filter(
                    Q(pk__in=granted.values("permission_id"))
                    | Q(pk__in=through_groups.values("permission_id"))
                )
            rows = perms.values_list("content_type__app_label", "codename").order_by()
            user_obj._perm_cache = {f"{app_label}.{codename}" for app_label, codename in rows}
        return user_obj._perm_cache
