"""RoleGroup moves from competencies to people without touching data.

The table keeps its name (competencies_rolegroup), so the database sees nothing but the
content type's app label: it moves too, so that group permissions, admin log entries and
revisions that point at role groups keep pointing at them. competencies 0003 takes the model
out of competencies' state once every foreign key points here.
"""

import django.db.models.deletion
from django.db import migrations, models


def content_type_move(apps, schema_editor, *, from_label: str, to_label: str) -> None:
    content_type = apps.get_model("contenttypes", "ContentType")
    arrived = content_type.objects.filter(app_label=to_label, model="rolegroup")
    if arrived.exists():
        # Only a database migrated halfway can have both; the old row holds the permissions.
        arrived.delete()
    content_type.objects.filter(app_label=from_label, model="rolegroup").update(app_label=to_label)


def content_type_to_people(apps, schema_editor) -> None:
    content_type_move(apps, schema_editor, from_label="competencies", to_label="people")


def content_type_to_competencies(apps, schema_editor) -> None:
    content_type_move(apps, schema_editor, from_label="people", to_label="competencies")


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("people", "0001_initial"),
        ("competencies", "0002_proficiencylevel_competencyframework_and_more"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="RoleGroup",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        ("code", models.CharField(max_length=32, unique=True, verbose_name="code")),
                        ("name_th", models.CharField(max_length=255, verbose_name="name (Thai)")),
                        (
                            "name_en",
                            models.CharField(blank=True, max_length=255, verbose_name="name (English)"),
                        ),
                        ("sort_order", models.PositiveSmallIntegerField(default=0, verbose_name="order")),
                        (
                            "framework",
                            models.ForeignKey(
                                blank=True,
                                help_text="The framework that defines this group, if any.",
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="role_groups",
                                to="competencies.competencyframework",
                                verbose_name="framework",
                            ),
                        ),
                        (
                            "parent",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="children",
                                to="people.rolegroup",
                                verbose_name="parent group",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "role group",
                        "verbose_name_plural": "role groups",
                        "db_table": "competencies_rolegroup",
                        "ordering": ["sort_order", "code"],
                    },
                ),
                migrations.AlterField(
                    model_name="learnerprofile",
                    name="role_group",
                    field=models.ForeignKey(
                        blank=True,
                        help_text="Decides which competency targets apply to this person.",
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="profiles",
                        to="people.rolegroup",
                        verbose_name="role group",
                    ),
                ),
            ],
        ),
        migrations.RunPython(content_type_to_people, content_type_to_competencies, elidable=False),
    ]
