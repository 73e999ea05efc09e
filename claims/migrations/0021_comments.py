"""Each claim's internal discussion: comments, their mentions and their earlier texts.

New tables only: nothing here rebuilds the claim table (or another with triggers) on SQLite.
The audit event's new action choices change no column (choices live in Python, as 0014's did),
so Django alters nothing in the database for them.
"""

import django.core.validators
import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('claims', '0020_agreement_index'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='Comment',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('text', models.TextField(max_length=2000, validators=[django.core.validators.MaxLengthValidator(2000)], verbose_name='comment')),
                ('created_at', models.DateTimeField(default=django.utils.timezone.now, editable=False, verbose_name='written at')),
                ('edited_at', models.DateTimeField(blank=True, editable=False, null=True, verbose_name='last edited at')),
                ('hidden_at', models.DateTimeField(blank=True, editable=False, null=True, verbose_name='hidden at')),
                ('hidden_reason', models.TextField(blank=True, verbose_name='reason for hiding')),
                ('author', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='author')),
                ('claim', models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='comments', to='claims.claim', verbose_name='claim')),
                ('hidden_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='hidden by')),
                ('mentions', models.ManyToManyField(blank=True, related_name='mentioned_in_comments', to=settings.AUTH_USER_MODEL, verbose_name='mentions')),
            ],
            options={
                'verbose_name': 'comment',
                'verbose_name_plural': 'comments',
                'ordering': ['created_at', 'id'],
                'indexes': [models.Index(fields=['claim', 'created_at'], name='comment_claim_created_idx')],
                'constraints': [models.CheckConstraint(condition=models.Q(('hidden_at__isnull', True), models.Q(('hidden_reason', ''), _negated=True), _connector='OR'), name='comment_hidden_with_reason')],
            },
        ),
        migrations.CreateModel(
            name='CommentRevision',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('text', models.TextField(verbose_name='earlier text')),
                ('written_at', models.DateTimeField(verbose_name='written at')),
                ('replaced_at', models.DateTimeField(verbose_name='replaced at')),
                ('comment', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='revisions', to='claims.comment', verbose_name='comment')),
            ],
            options={
                'verbose_name': 'comment revision',
                'verbose_name_plural': 'comment revisions',
                'ordering': ['replaced_at', 'id'],
            },
        ),
        migrations.AlterField(
            model_name='auditevent',
            name='action',
            field=models.CharField(choices=[('claim.created', 'claim created'), ('claim.edited', 'claim edited'), ('claim.imported', 'claim imported'), ('claim.state_changed', 'state changed'), ('claim.review_mode_changed', 'review mode changed'), ('evidence.added', 'evidence added'), ('evidence.retracted', 'evidence retracted'), ('reviewer.assigned', 'reviewer assigned'), ('reviewer.completed', 'review completed'), ('reviewer.withdrawn', 'reviewer withdrawn'), ('source.edited', 'source edited'), ('verdict.proposed', 'verdict proposed'), ('verdict.approved', 'verdict signed off'), ('verdict.returned', 'verdict returned'), ('verdict.withdrawn', 'proposal withdrawn'), ('comment.added', 'comment added'), ('comment.edited', 'comment edited'), ('comment.hidden', 'comment hidden')], max_length=40, verbose_name='action'),
        ),
    ]
