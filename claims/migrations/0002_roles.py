"""Create the three roles as groups holding model permissions."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

VIEW = [
    "view_source",
    "view_claim",
    "view_appearance",
    "view_evidence",
    "view_assignment",
    "view_auditevent",
]
ROLES = {
    "Editors": VIEW
    + [
        "manage_claims",
        "add_claim",
        "change_claim",
        "add_source",
        "change_source",
        "add_evidence",
        "change_evidence",
        "add_assignment",
        "change_assignment",
    ],
    "Reviewers": VIEW + ["review_claims"],
    "Viewers": VIEW,
}


def create_roles(apps, schema_editor):
    # Permissions are normally created after all migrations; roles need them now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in ROLES.items():
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.set(
            Permission.objects.filter(content_type__app_label="claims", codename__in=codenames)
        )


def remove_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=ROLES).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("claims", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_roles, remove_roles)]
