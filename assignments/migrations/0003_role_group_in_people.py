"""Role groups moved to people (people 0002): only the foreign key's target in Django's state
changes; the table and its constraint stay as they are."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("assignments", "0002_member_due_date_and_reminders"),
        ("people", "0002_rolegroup_moved_from_competencies"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="assignment",
                    name="role_group",
                    field=models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="assignments",
                        to="people.rolegroup",
                        verbose_name="role group",
                    ),
                ),
            ],
        ),
    ]
