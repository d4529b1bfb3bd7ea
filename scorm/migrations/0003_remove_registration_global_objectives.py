# Global objectives are kept in Registration.sequencing_state (scorm.sequencing.state, "g");
# this column was no longer written or read.

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("scorm", "0002_trust_review_sequencing_grants"),
    ]

    operations = [
        migrations.RemoveField(
            model_name="registration",
            name="global_objectives",
        ),
    ]
