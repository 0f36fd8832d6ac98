"""Recognition's world: 延长新村's 睦邻中心 run by a social organisation, the street's 100-point
sheet for this year (three criteria, bands from 60 up), and the residents of
``tests.fixtures.people``."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.utils import timezone

from partners.models import PartnerUnit, UnitKind
from recognition import centres
from recognition.models import Centre, RatingSheet
from tests import fixtures
from tests.factories import scope_of

english = fixtures.english
people = fixtures.people
street_admin = fixtures.street_admin


@dataclass
class World:
    centre: Centre
    sheet: RatingSheet
    org: PartnerUnit


def make_sheet(user, area, year=None) -> RatingSheet:
    draft = centres.SheetDraft(
        year=year or timezone.localdate().year,
        title="睦邻中心星级评定",
        total_points=100,
        criteria=[("场地设施", 30), ("服务项目", 40), ("群众满意度", 30)],
        bands=centres.default_bands(100),
    )
    return centres.set_sheet(user, area, draft, scope=scope_of(user))


@pytest.fixture
def world(tree, street_admin) -> World:
    org = PartnerUnit.objects.create(area=tree.street, name="睦邻社工服务社", kind=UnitKind.SOCIAL_ORG)
    centre = centres.create_centre(
        tree.committee,
        centres.CentreDraft(name="延长新村睦邻中心", operator=org),
        scope=scope_of(street_admin),
    )
    return World(centre, make_sheet(street_admin, tree.street), org)


FULL = {"场地设施": Decimal(28), "服务项目": Decimal(36), "群众满意度": Decimal(27)}
