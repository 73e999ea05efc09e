"""Partial indexes of independent proposals for the dashboard's agreement figures: by time,
the claims with an independent proposal in a period are a range of the first, where the
(status, proposed_at) index made SQLite read every proposal of the period and PostgreSQL every
proposal of the desk; by claim, proposer and time, the second gives those claims' proposals in
the order the judgements are ranked in, so SQLite ranks them without sorting.
"""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("claims", "0019_stage_spans")]

    operations = [
        migrations.AddIndex(
            model_name="proposal",
            index=models.Index(
                condition=models.Q(("independent", True)),
                fields=["proposed_at", "claim"],
                name="proposal_independent_idx",
            ),
        ),
        migrations.AddIndex(
            model_name="proposal",
            index=models.Index(
                condition=models.Q(("independent", True)),
                fields=["claim", "proposed_by", "proposed_at"],
                name="proposal_judgement_idx",
            ),
        ),
    ]
