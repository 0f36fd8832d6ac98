"""Residents' requests are Demands: one word for the app, the model, the URL and the API
(``Request`` read like the HTTP request). Tables, columns and indexes are renamed in place;
no row changes."""

from django.db import migrations, models
from django.db.models import Q


class Migration(migrations.Migration):
    dependencies = [
        ("demands", "0002_default_categories"),
        ("registry", "0001_initial"),
        ("contenttypes", "0002_remove_content_type_name"),
        # The visits' link to a request was made under the old name: renamed after it.
        ("visits", "0002_visit_corrected_at"),
    ]

    operations = [
        migrations.RemoveIndex("requestevent", "request_event_time"),
        migrations.RenameModel("Request", "Demand"),
        migrations.RenameModel("RequestEvent", "DemandEvent"),
        migrations.RenameModel("RequestPhoto", "DemandPhoto"),
        migrations.RenameField("demandevent", "request", "demand"),
        migrations.RenameField("demandphoto", "request", "demand"),
        migrations.AlterField(
            model_name="demand",
            name="category",
            field=models.ForeignKey(
                on_delete=models.deletion.PROTECT,
                related_name="demands",
                to="demands.category",
                verbose_name="category",
            ),
        ),
        migrations.AlterField(
            model_name="demand",
            name="project",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=models.deletion.SET_NULL,
                related_name="demands",
                to="demands.serviceproject",
                verbose_name="service project",
            ),
        ),
        migrations.RenameIndex("demand", new_name="demand_queue", old_name="request_queue"),
        migrations.RenameIndex("demand", new_name="demand_assignee", old_name="request_assignee"),
        migrations.RenameIndex("demand", new_name="demand_resident", old_name="request_resident"),
        migrations.AddIndex("demandevent", models.Index(fields=["demand", "at"], name="demand_event_time")),
        migrations.RemoveConstraint("demand", "request_rating_1_5"),
        migrations.AddConstraint(
            "demand",
            models.CheckConstraint(
                condition=Q(rating__isnull=True) | Q(rating__gte=1, rating__lte=5), name="demand_rating_1_5"
            ),
        ),
    ]
