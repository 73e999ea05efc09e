"""The sources' admin: where claims appeared, added and corrected through the source services."""

from django.contrib import admin

from claims.admin.forms import SOURCE_FIELDS, SourceForm
from claims.admin.lists import ServiceAdmin
from claims.models import Source


@admin.register(Source)
class SourceAdmin(ServiceAdmin):
    add_form_class = change_form_class = SourceForm
    list_display = ("title", "outlet", "author", "published_on", "url")
    list_filter = ("outlet", "published_on")
    search_fields = ("title", "outlet", "author", "url")
    date_hierarchy = "published_on"
    readonly_fields = ("created_at",)

    def get_fields(self, request, obj=None):
        return (*SOURCE_FIELDS, *self.version_seen(request, obj), "created_at")
