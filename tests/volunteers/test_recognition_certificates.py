"""Service certificates: who may issue and revoke, what a bad period refuses, the signed token
of the public check, the audit trail, and the PDF (A4, the name, the QR code's address)."""

from __future__ import annotations

import io
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone, translation
from pypdf import PdfReader

from activities.signups import pass_token
from audit.models import AuditEntry
from tests.factories import scope_of
from tests.volunteers.recognition_world import World, entry, world
from volunteers import certificates
from volunteers.models import Certificate

__all__ = ["world"]

URL = "https://mulin.example.org/volunteers/certificates/check/TOKEN/"


@pytest.fixture(autouse=True)
def english():
    """Not English here: these tests read the figures, lists and pages in Chinese, as people do
    (this replaces the package's fixture of the same name, whatever an earlier test left)."""
    with translation.override("zh-hans"):
        yield


@pytest.fixture
def served(world: World):
    """张阿姨: 3 h and 2 h in March, 4 h in May reversed; 1 h still waiting."""
    entry(world.zhang, date(2026, 3, 5), "3", team=world.team)
    entry(world.zhang, date(2026, 3, 20), "2")
    wrong = entry(world.zhang, date(2026, 5, 1), "4")
    entry(world.zhang, date(2026, 5, 2), "-4", reverses=wrong)
    entry(world.zhang, date(2026, 6, 1), "1", confirmed=False)
    return world


def test_staff_issue_a_certificate_of_the_confirmed_hours(served, owner):
    made = certificates.issue(
        served.zhang, date(2026, 1, 1), date(2026, 11, 30), by=owner, scope=scope_of(owner)
    )
    assert (made.name, made.hours, made.times, made.area, made.issued_by) == (
        "张阿姨",
        Decimal("5.00"),
        2,
        served.zhang.committee,
        owner,
    )
    assert made.number.startswith("ZY2026") and len(made.number) == 18
    kind = ContentType.objects.get_for_model(Certificate)
    assert AuditEntry.objects.filter(content_type=kind, object_id=str(made.pk), action="create").exists()


def test_a_volunteer_asks_for_their_own(served):
    made = certificates.issue(
        served.zhang,
        date(2026, 3, 1),
        date(2026, 3, 10),
        by=served.zhang_user,
        scope=scope_of(served.zhang_user),
    )
    assert (made.hours, made.times, made.issued_by) == (Decimal(3), 1, served.zhang_user)


def test_nobody_else_may_issue_one(served, outsider, resident):
    for user in (outsider, resident):
        with pytest.raises(PermissionDenied):
            certificates.issue(
                served.zhang, date(2026, 1, 1), date(2026, 11, 30), by=user, scope=scope_of(user)
            )
    with pytest.raises(PermissionDenied):  # not even for someone else's hours, as a volunteer
        certificates.issue(
            served.li,
            date(2026, 1, 1),
            date(2026, 11, 30),
            by=served.zhang_user,
            scope=scope_of(served.zhang_user),
        )
    assert not Certificate.objects.exists()


@pytest.mark.parametrize(
    ("start", "end", "field", "words"),
    [
        (date(2026, 3, 10), date(2026, 3, 1), "period_to", "早于开始日期"),
        (date(2026, 1, 1), None, "period_to", "不能晚于今天"),
        (date(2026, 4, 1), date(2026, 4, 30), "period_from", "没有已确认的服务时长"),
        (date(2026, 5, 1), date(2026, 5, 31), "period_from", "没有已确认的服务时长"),  # reversed
        (date(2010, 1, 1), date(2026, 11, 30), "period_from", "最多涵盖十年"),
    ],
)
def test_a_bad_period_is_refused_and_nothing_written(served, owner, start, end, field, words):
    end = end or timezone.localdate() + timedelta(days=1)
    with pytest.raises(ValidationError) as refused:
        certificates.issue(served.zhang, start, end, by=owner, scope=scope_of(owner))
    assert words in " ".join(refused.value.message_dict[field])
    assert not Certificate.objects.exists()


@pytest.fixture
def issued(served, owner) -> Certificate:
    return certificates.issue(
        served.zhang, date(2026, 1, 1), date(2026, 11, 30), by=owner, scope=scope_of(owner)
    )


def test_the_token_names_its_certificate_and_nothing_else(issued, tree):
    from tests.factories import household
    from tests.factories import resident as registry_resident

    token = certificates.token_for(issued)
    assert certificates.from_token(token) == issued
    number, signature = token.split(":")
    assert certificates.from_token(f"{number}:{signature[:-1]}x") is None  # altered signature
    assert certificates.from_token(f"ZY2026AAAAAAAAAAAA:{signature}") is None  # another number
    assert certificates.from_token(issued.number) is None  # no signature
    assert certificates.from_token("") is None
    # Signed by Mulin, but for something else: an activity pass is no certificate.
    person = registry_resident(household(tree.building, "101"), "周先生")
    assert certificates.from_token(pass_token(person)) is None


def test_numbers_are_unguessable():
    today = date(2026, 12, 7)
    numbers = {certificates.new_number(today) for _i in range(200)}
    assert len(numbers) == 200
    assert all(set(n[6:]) <= set(certificates.ALPHABET) for n in numbers)


def test_staff_revoke_with_a_reason_once(issued, owner, outsider, served):
    with pytest.raises(PermissionDenied):
        certificates.revoke(issued, "弄错了", by=outsider, scope=scope_of(outsider))
    with pytest.raises(PermissionDenied):  # the volunteer cannot withdraw their own
        certificates.revoke(issued, "弄错了", by=served.zhang_user, scope=scope_of(served.zhang_user))
    with pytest.raises(ValidationError):
        certificates.revoke(issued, "  ", by=owner, scope=scope_of(owner))
    issued.refresh_from_db()
    assert not issued.is_revoked
    revoked = certificates.revoke(issued, "时长录入有误", by=owner, scope=scope_of(owner))
    assert revoked.is_revoked and revoked.revoke_reason == "时长录入有误" and revoked.revoked_by == owner
    with pytest.raises(ValidationError):
        certificates.revoke(issued, "再次", by=owner, scope=scope_of(owner))
    kind = ContentType.objects.get_for_model(Certificate)
    change = AuditEntry.objects.get(content_type=kind, object_id=str(issued.pk), action="update")
    assert "revoke_reason" in change.changes


def test_the_pdf_is_one_a4_page_with_the_name_and_the_check_address(issued):
    pdf = certificates.render_pdf(issued, URL)
    assert pdf.startswith(b"%PDF-")
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) == 1
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (595, 842)  # A4 in points
    text = reader.pages[0].extract_text()
    assert "张阿姨" in text
    assert URL in text.replace("\n", "")
    assert issued.number in text
    assert reader.metadata is not None and reader.metadata.title


def test_asking_twice_gives_the_same_certificate(served, owner):
    first = certificates.issue(
        served.zhang, date(2026, 3, 1), date(2026, 3, 31), by=owner, scope=scope_of(owner)
    )
    again = certificates.issue(
        served.zhang,
        date(2026, 3, 1),
        date(2026, 3, 31),
        by=served.zhang_user,
        scope=scope_of(served.zhang_user),
    )
    assert again == first and Certificate.objects.count() == 1
    certificates.revoke(first, "重开", by=owner, scope=scope_of(owner))
    fresh = certificates.issue(
        served.zhang, date(2026, 3, 1), date(2026, 3, 31), by=owner, scope=scope_of(owner)
    )
    assert fresh != first and fresh.number != first.number
