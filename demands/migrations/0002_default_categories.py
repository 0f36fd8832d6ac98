"""The city-wide default request categories, with their service levels (hours to resolve):
the six services for the elderly (为老服务: 助洁 助餐 助急 助医 助行 助乐) and the everyday ones."""

from django.db import migrations

DEFAULTS = [
    # name, hours, elderly service
    ("助急", 4, True),
    ("助医", 24, True),
    ("助餐", 48, True),
    ("助洁", 72, True),
    ("助行", 72, True),
    ("助乐", 120, True),
    ("物业报修", 72, False),
    ("环境卫生", 48, False),
    ("邻里纠纷", 72, False),
    ("安全隐患", 24, False),
    ("停车管理", 72, False),
    ("政策咨询", 120, False),
    ("其他", 120, False),
]


def create(apps, schema_editor):
    Category = apps.get_model("demands", "Category")
    for position, (name, hours, elderly) in enumerate(DEFAULTS, start=1):
        Category.objects.get_or_create(
            committee=None,
            name=name,
            defaults={"service_hours": hours, "elderly": elderly, "position": position},
        )


def remove(apps, schema_editor):
    Category = apps.get_model("demands", "Category")
    names = [name for name, _hours, _elderly in DEFAULTS]
    Category.objects.filter(committee=None, name__in=names, requests__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("demands", "0001_initial")]

    operations = [migrations.RunPython(create, remove)]
