"""RoleGroup now lives in people (people 0002): point role requirements at it and take the
model out of competencies' state. State only: the table and the data stay where they are."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("competencies", "0002_proficiencylevel_competencyframework_and_more"),
        ("people", "0002_rolegroup_moved_from_competencies"),
        # Every foreign key to the old model must point at people.RoleGroup before it goes.
        ("assignments", "0003_role_group_in_people"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="rolerequirement",
                    name="role_group",
                    field=models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="requirements",
                        to="people.rolegroup",
                        verbose_name="role group",
                    ),
                ),
                migrations.DeleteModel(name="RoleGroup"),
            ],
        ),
    ]
