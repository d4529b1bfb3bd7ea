from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def members_take_assignment_due_date(apps, schema_editor):
    Assignment = apps.get_model("assignments", "Assignment")
    AssignmentMember = apps.get_model("assignments", "AssignmentMember")
    AssignmentMember.objects.update(
        due_date=Subquery(Assignment.objects.filter(pk=OuterRef("assignment_id")).values("due_date")[:1])
    )


class Migration(migrations.Migration):
    dependencies = [
        ("assignments", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="assignment",
            name="deactivated_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="deactivated"),
        ),
        migrations.AddField(
            model_name="assignmentmember",
            name="due_date",
            field=models.DateField(null=True, verbose_name="due"),
        ),
        migrations.RunPython(members_take_assignment_due_date, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="assignmentmember",
            name="due_date",
            field=models.DateField(verbose_name="due"),
        ),
        migrations.AddField(
            model_name="assignmentmember",
            name="reminder_point",
            field=models.SmallIntegerField(blank=True, null=True),
        ),
        migrations.AddIndex(
            model_name="assignmentmember",
            index=models.Index(fields=["due_date"], name="assignments_due_dat_59bcee_idx"),
        ),
    ]
