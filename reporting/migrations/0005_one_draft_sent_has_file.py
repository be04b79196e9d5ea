# The constraints in a migration of their own: 0004's data step deletes rows, whose deferred foreign
# key checks PostgreSQL will not let an index or constraint be added after in the same transaction.

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('reporting', '0004_submission_kept_copy'),
    ]

    operations = [
        migrations.AddConstraint(
            model_name='submission',
            constraint=models.UniqueConstraint(condition=models.Q(('status', 'draft')), fields=('township', 'year', 'month'), name='submission_one_draft_per_period', violation_error_message='同一区镇街道同一月份只能有一份待确认的草稿。'),
        ),
        migrations.AddConstraint(
            model_name='submission',
            constraint=models.CheckConstraint(condition=models.Q(('status', 'draft'), models.Q(('file', ''), _negated=True), _connector='OR'), name='submission_sent_has_file', violation_error_message='已提交的月报必须保存文件。'),
        ),
    ]
