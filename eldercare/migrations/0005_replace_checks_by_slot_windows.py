"""Data: checks recorded before this fix filled the slot of their calendar date; each now
fills the day and slot whose window holds the moment it was made (``eldercare.rules.placement``
as of this migration): before dawn (06:00) the night before's (curtains then: no slot); a
light between dawn and the committee's "night from" time: no slot. Alerts are left as they
were raised."""

from datetime import time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import migrations
from django.db.models import Q

DAWN = time(6, 0)
DEFAULT_NIGHT_FROM = time(16, 0)


def forwards(apps, schema_editor):
    Check = apps.get_model("eldercare", "Check")
    WatchPolicy = apps.get_model("eldercare", "WatchPolicy")
    here = ZoneInfo(settings.TIME_ZONE)
    night_from = dict(WatchPolicy.objects.values_list("committee_id", "night_from"))
    # Only these can move (``__hour`` reads the local time): the rest were placed by this rule.
    latest = max([DEFAULT_NIGHT_FROM, *night_from.values()]).hour + 1
    maybe = Check.objects.filter(Q(at__hour__lt=DAWN.hour) | Q(kind="light", at__hour__lt=latest))
    moved = []
    for check in maybe.select_related("watch").iterator(chunk_size=2000):
        local = check.at.astimezone(here)
        before_dawn = local.time() < DAWN
        day = local.date() - timedelta(days=1) if before_dawn else local.date()
        evening = night_from.get(check.watch.committee_id, DEFAULT_NIGHT_FROM)
        if check.kind == "curtains":
            slot = "" if before_dawn else "day"
        elif check.kind == "light":
            slot = "night" if before_dawn or local.time() >= evening else ""
        else:
            slot = "night" if before_dawn or local.time() >= evening else "day"
        if (day, slot) != (check.day, check.slot):
            check.day, check.slot = day, slot
            moved.append(check)
    Check.objects.bulk_update(moved, ["day", "slot"], batch_size=2000)


class Migration(migrations.Migration):
    dependencies = [("eldercare", "0004_check_outside_any_slot")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
