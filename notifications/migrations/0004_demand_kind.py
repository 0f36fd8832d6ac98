"""The kind of a notification about a resident's request is "demand", the word the app, the
model and the URL use (it was "request")."""

from django.db import migrations, models


def forward(apps, schema_editor):
    apps.get_model("notifications", "Notification").objects.filter(kind="request").update(kind="demand")


def backward(apps, schema_editor):
    apps.get_model("notifications", "Notification").objects.filter(kind="demand").update(kind="request")


class Migration(migrations.Migration):
    dependencies = [
        ("notifications", "0003_request_visit_watch_kinds"),
    ]

    operations = [
        migrations.AlterField(
            model_name="notification",
            name="kind",
            field=models.CharField(
                choices=[
                    ("notice", "Notice"),
                    ("activity", "Activity"),
                    ("account", "Account"),
                    ("deliberation", "Deliberation"),
                    ("convention", "Convention"),
                    ("demand", "Request"),
                    ("visit", "Visit"),
                    ("watch", "Elderly watch"),
                ],
                max_length=20,
                verbose_name="kind",
            ),
        ),
        migrations.RunPython(forward, backward),
    ]
