"""Centres, sheets and ratings: the sheet's rules, scoring with evidence, stars by band, one
final rating a year."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from partners.models import PartnerUnit, UnitKind
from recognition import centres, ratings
from recognition.models import Rating, RatingSheet, Score
from tests.factories import scope_of
from tests.recognition.conftest import FULL, make_sheet

pytestmark = pytest.mark.django_db


def _scored(world, user, points=FULL) -> Rating:
    scope = scope_of(user)
    rating = ratings.start_rating(user, world.centre, world.sheet, scope=scope)
    for criterion in world.sheet.criteria.all():
        ratings.score(rating, criterion, points[criterion.title], "现场查看", scope=scope)
    return rating


def test_a_full_rating_gives_stars_by_band(world, street_admin):
    rating = ratings.submit(_scored(world, street_admin), scope=scope_of(street_admin))
    assert rating.score == Decimal(91) and rating.stars == 5
    final = ratings.finalise(street_admin, rating, scope=scope_of(street_admin))
    assert final.is_final


def test_a_lower_score_gives_fewer_stars_and_below_the_bands_none(world, street_admin):
    rating = _scored(
        world, street_admin, {"场地设施": Decimal(20), "服务项目": Decimal(30), "群众满意度": Decimal("25.5")}
    )
    assert ratings.submit(rating, scope=scope_of(street_admin)).stars == 3
    low = _scored(
        world, street_admin, {"场地设施": Decimal(10), "服务项目": Decimal(10), "群众满意度": Decimal(10)}
    )
    assert ratings.submit(low, scope=scope_of(street_admin)).stars == 0


def test_a_score_over_the_criterions_points_is_refused(world, street_admin):
    rating = ratings.start_rating(street_admin, world.centre, world.sheet, scope=scope_of(street_admin))
    criterion = world.sheet.criteria.get(title="场地设施")
    with pytest.raises(ValidationError) as refused:
        ratings.score(rating, criterion, Decimal(31), "note", scope=scope_of(street_admin))
    assert "points" in refused.value.message_dict
    assert "at most 30" in refused.value.message_dict["points"][0]
    with pytest.raises(ValidationError):
        ratings.score(rating, criterion, Decimal(-1), "note", scope=scope_of(street_admin))
    assert not Score.objects.exists()


def test_a_score_needs_evidence_a_note_or_a_file(world, street_admin, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    scope = scope_of(street_admin)
    rating = ratings.start_rating(street_admin, world.centre, world.sheet, scope=scope)
    criterion = world.sheet.criteria.first()
    with pytest.raises(ValidationError) as refused:
        ratings.score(rating, criterion, Decimal(10), "", scope=scope)
    assert "note" in refused.value.message_dict
    bad = SimpleUploadedFile("x.txt", b"hello")
    with pytest.raises(ValidationError) as refused:
        ratings.score(rating, criterion, Decimal(10), "", bad, scope=scope)
    assert "file" in refused.value.message_dict
    pdf = SimpleUploadedFile("检查表.pdf", b"%PDF-1.4 test")
    row = ratings.score(rating, criterion, Decimal(10), "", pdf, scope=scope)
    assert row.file and row.file_name == "检查表.pdf" and row.has_evidence


def test_submitting_needs_every_criterion(world, street_admin):
    scope = scope_of(street_admin)
    rating = ratings.start_rating(street_admin, world.centre, world.sheet, scope=scope)
    ratings.score(rating, world.sheet.criteria.first(), Decimal(10), "note", scope=scope)
    with pytest.raises(ValidationError, match="Score every criterion"):
        ratings.submit(rating, scope=scope)


def test_a_second_final_rating_for_the_same_year_is_refused(world, street_admin):
    scope = scope_of(street_admin)
    first = ratings.submit(_scored(world, street_admin), scope=scope)
    second = ratings.submit(_scored(world, street_admin), scope=scope)
    ratings.finalise(street_admin, first, scope=scope)
    with pytest.raises(ValidationError, match="already has a final rating"):
        ratings.finalise(street_admin, second, scope=scope)
    second.refresh_from_db()
    assert second.is_submitted
    with pytest.raises(ValidationError, match="already has a final rating"):
        ratings.start_rating(street_admin, world.centre, world.sheet, scope=scope)


def test_a_submitted_rating_no_longer_changes_until_reopened(world, street_admin):
    scope = scope_of(street_admin)
    rating = ratings.submit(_scored(world, street_admin), scope=scope)
    with pytest.raises(ValidationError):
        ratings.score(rating, world.sheet.criteria.first(), Decimal(1), "x", scope=scope)
    assert ratings.reopen(rating, scope=scope).is_draft


def test_committee_staff_and_other_streets_may_not_rate(world, owner, tree):
    with pytest.raises(PermissionDenied):
        ratings.start_rating(owner, world.centre, world.sheet, scope=scope_of(owner))
    with pytest.raises(PermissionDenied):
        centres.create_centre(tree.committee, centres.CentreDraft(name="x"), scope=scope_of(owner))


@pytest.mark.parametrize(
    ("bands", "words"),
    [
        ([(5, "90", "100"), (4, "85", "95")], "overlap"),
        ([(5, "90", "100"), (4, "70", "80")], "gap"),
        ([(5, "90", "99")], "total"),
        ([(4, "90", "100"), (5, "80", "90")], "more stars"),
        ([(5, "90", "100"), (5, "80", "90")], "same number"),
    ],
)
def test_bands_that_overlap_leave_gaps_or_miss_the_total_are_refused(tree, street_admin, bands, words):
    draft = centres.SheetDraft(
        year=2030,
        title="t",
        criteria=[("a", 100)],
        bands=[centres.BandDraft(s, Decimal(a), Decimal(b)) for s, a, b in bands],
    )
    with pytest.raises(ValidationError) as refused:
        centres.set_sheet(street_admin, tree.street, draft, scope=scope_of(street_admin))
    assert words in " ".join(refused.value.message_dict["bands"])
    assert not RatingSheet.objects.filter(year=2030).exists()


def test_criteria_must_add_up_to_a_configurable_total(tree, street_admin):
    draft = centres.SheetDraft(
        year=2031,
        title="t",
        total_points=50,
        criteria=[("a", 20), ("b", 20)],
        bands=centres.default_bands(50),
    )
    with pytest.raises(ValidationError, match="add up to 40"):
        centres.set_sheet(street_admin, tree.street, draft, scope=scope_of(street_admin))
    draft.criteria = [("a", 30), ("b", 20)]
    sheet = centres.set_sheet(street_admin, tree.street, draft, scope=scope_of(street_admin))
    assert (
        sheet.total_points == 50 and sheet.stars_for(Decimal(50)) == 5 and sheet.stars_for(Decimal(44)) == 4
    )


def test_a_used_sheet_no_longer_changes(world, street_admin):
    _scored(world, street_admin)
    draft = centres.SheetDraft(
        year=world.sheet.year, title="x", criteria=[("a", 100)], bands=centres.default_bands()
    )
    with pytest.raises(ValidationError, match="no longer change"):
        centres.set_sheet(
            street_admin, world.sheet.area, draft, scope=scope_of(street_admin), sheet=world.sheet
        )


def test_a_centre_is_run_only_by_a_social_organisation(tree, street_admin):
    school = PartnerUnit.objects.create(area=tree.street, name="小学", kind=UnitKind.SCHOOL)
    with pytest.raises(ValidationError) as refused:
        centres.create_centre(
            tree.committee, centres.CentreDraft(name="站", operator=school), scope=scope_of(street_admin)
        )
    assert "operator" in refused.value.message_dict


def test_a_sheet_for_another_year_is_its_own(tree, street_admin, world):
    other = make_sheet(street_admin, tree.street, year=world.sheet.year - 1)
    assert other.year == world.sheet.year - 1
