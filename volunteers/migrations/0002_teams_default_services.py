"""The city-wide default services volunteers offer (理发, 修家电, 量血压, …): data only."""

from django.db import migrations

DEFAULTS = ["理发", "修家电", "量血压", "送餐", "陪诊", "法律咨询", "助浴", "读报"]


def forward(apps, schema_editor):
    Service = apps.get_model("volunteers", "Service")
    for position, name in enumerate(DEFAULTS, start=1):
        Service.objects.get_or_create(area=None, name=name, defaults={"position": position})


def backward(apps, schema_editor):
    Service = apps.get_model("volunteers", "Service")
    Service.objects.filter(area=None, name__in=DEFAULTS).delete()


class Migration(migrations.Migration):
    dependencies = [("volunteers", "0001_initial")]

    operations = [migrations.RunPython(forward, backward)]
