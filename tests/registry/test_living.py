"""Who lives here now is decided in one place, ``registry.models.living_q``: the queryset,
the property and a lookup through another model all give the same answer, and no other
module spells the rule out again."""

from __future__ import annotations

import re
from itertools import product
from pathlib import Path

from django.conf import settings
from django.utils import timezone

from registry.models import Resident, ResidentStatus, living_q
from tests.factories import household, resident


def test_the_queryset_the_property_and_a_lookup_through_a_relation_agree(tree):
    home = household(tree.building)
    made = {}
    for n, (status, anonymised) in enumerate(product(ResidentStatus.values, (False, True))):
        person = resident(home, f"居民{n}", relation="other", status=status)
        if anonymised:
            Resident.objects.filter(pk=person.pk).update(anonymised_at=timezone.now())
        made[person.pk] = (status, anonymised)
    living = set(Resident.objects.living().values_list("pk", flat=True))
    assert living == {
        pk for pk, (status, gone) in made.items() if status == ResidentStatus.LIVING and not gone
    }
    assert {p.pk for p in Resident.objects.all() if p.is_living} == living
    through = Resident.objects.filter(household__residents__in=Resident.objects.filter(pk__in=living))
    assert through.exists() and Resident.objects.filter(living_q(), pk__in=made).count() == len(living)


def test_no_module_spells_the_rule_out_again():
    """A status compared with "living", or the living status beside a test of anonymisation,
    outside registry/models.py: use living(), is_living or living_q()."""
    root = Path(settings.BASE_DIR)
    spelled = re.compile(
        r"""status\s*(==|!=|=)\s*["']living["']"""
        r"|status=ResidentStatus\.LIVING,\s*(\w+__)?anonymised_at__isnull"
        r"|status\s*!=\s*ResidentStatus\.LIVING\s+or\s+\w+\.anonymised_at"
    )
    found = []
    for path in root.glob("*/**/*.py"):
        parts = path.relative_to(root).parts
        if parts[0] in {"tests", ".venv", "node_modules"} or "migrations" in parts:
            continue
        if path.relative_to(root).as_posix() == "registry/models.py":
            continue
        text = path.read_text(encoding="utf-8")
        found += [f"{path.relative_to(root)}: {m.group(0)}" for m in spelled.finditer(text)]
    assert not found, "\n".join(found)
