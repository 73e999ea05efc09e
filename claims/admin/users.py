"""Django's user and group admins, for editors only; the user admin also answers the assignment
form's reviewer autocomplete."""

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import GroupAdmin, UserAdmin
from django.contrib.auth.models import Group

from claims.admin.lists import EditorsOnly, GuardedInput
from claims.models import Assignment
from claims.permissions import Action, can
from claims.selectors.people import reviewer_candidates

User = get_user_model()


class DeskUserAdmin(EditorsOnly, GuardedInput, UserAdmin):
    """Django's user admin, answering the assignment form's reviewer autocomplete too.

    The autocomplete offers only people who may review (``selectors.people.reviewer_candidates``,
    which the service checks again), and it answers whoever may assign reviewers: an editor with
    staff status needs no right to browse the user list to pick a reviewer.
    """

    def _reviewer_lookup(self, request) -> bool:
        match = request.resolver_match
        return (
            match is not None
            and match.url_name == "autocomplete"
            and request.GET.get("app_label") == Assignment._meta.app_label
            and request.GET.get("model_name") == Assignment._meta.model_name
            and request.GET.get("field_name") == "reviewer"
        )

    def has_view_permission(self, request, obj=None):
        if obj is None and self._reviewer_lookup(request):
            return can(request.user, Action.ASSIGN_REVIEWER)
        return super().has_view_permission(request, obj)

    def get_search_fields(self, request):
        if self._reviewer_lookup(request):
            # By name only: someone picking a reviewer has no business probing e-mail addresses.
            return ("username", "first_name", "last_name")
        return super().get_search_fields(request)

    def get_search_results(self, request, queryset, search_term):
        results, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        if self._reviewer_lookup(request):
            results = results.filter(pk__in=reviewer_candidates().values("pk"))
        return results, may_have_duplicates


class DeskGroupAdmin(EditorsOnly, GuardedInput, GroupAdmin):
    """Django's group admin (the roles are groups), kept from staff who are not editors."""


admin.site.unregister(User)
admin.site.register(User, DeskUserAdmin)
admin.site.unregister(Group)
admin.site.register(Group, DeskGroupAdmin)
