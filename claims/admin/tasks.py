"""django-tasks-db's read-only list of background tasks, for editors only like every admin page
of the desk: staff see failed deliveries and their tracebacks here."""

from django.contrib import admin
from django_tasks_db.admin import DBTaskResultAdmin
from django_tasks_db.models import DBTaskResult

from claims.admin.lists import ReadOnlyForEditors

admin.site.unregister(DBTaskResult)


@admin.register(DBTaskResult)
class TaskResultAdmin(ReadOnlyForEditors, DBTaskResultAdmin):
    pass
