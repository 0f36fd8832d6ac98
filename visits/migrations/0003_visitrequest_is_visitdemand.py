"""A need raised on a visit links to a Demand (see demands 0003): renamed in place."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("visits", "0002_visit_corrected_at"),
        ("demands", "0003_request_is_demand"),
    ]

    operations = [
        migrations.RenameModel("VisitRequest", "VisitDemand"),
        migrations.RenameField("visitdemand", "request", "demand"),
        migrations.AlterField(
            model_name="visitdemand",
            name="demand",
            field=models.OneToOneField(
                on_delete=models.deletion.PROTECT,
                related_name="from_visit",
                to="demands.demand",
                verbose_name="request",
            ),
        ),
    ]
