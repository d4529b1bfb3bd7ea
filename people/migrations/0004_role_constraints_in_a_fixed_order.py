# The role constraints rebuilt from tuples (people.models.PLATFORM_ROLES, PARTNER_ROLES) instead
# of sets, whose order changed between processes. The SQL conditions are the same.

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('organisations', '0001_initial'),
        ('people', '0003_data_protection_officer_role'),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name='roleassignment',
            name='role_scope_matches_role',
        ),
        migrations.RemoveConstraint(
            model_name='roleassignment',
            name='unique_platform_role',
        ),
        migrations.RemoveConstraint(
            model_name='roleassignment',
            name='unique_partner_role',
        ),
        migrations.AddConstraint(
            model_name='roleassignment',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('partner__isnull', True), ('role', 'hr_manager'), ('unit__isnull', False)), models.Q(('partner__isnull', False), ('role__in', ('partner_author', 'partner_reviewer')), ('unit__isnull', True)), models.Q(('partner__isnull', True), ('role__in', ('platform_admin', 'platform_reviewer', 'data_protection_officer')), ('unit__isnull', True)), _connector='OR'), name='role_scope_matches_role'),
        ),
        migrations.AddConstraint(
            model_name='roleassignment',
            constraint=models.UniqueConstraint(condition=models.Q(('role__in', ('platform_admin', 'platform_reviewer', 'data_protection_officer'))), fields=('user', 'role'), name='unique_platform_role'),
        ),
        migrations.AddConstraint(
            model_name='roleassignment',
            constraint=models.UniqueConstraint(condition=models.Q(('role__in', ('partner_author', 'partner_reviewer'))), fields=('user', 'role', 'partner'), name='unique_partner_role'),
        ),
    ]
