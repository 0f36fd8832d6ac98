"""PIPL in practice: revealing a full value with a logged reason, a resident's own data,
unmasked exports on record, and anonymisation after the retention period."""

from __future__ import annotations

from datetime import date, timedelta

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.roles import role_label
from areas.models import Area
from audit.context import current_actor
from audit.models import AuditEntry
from common.scope import Capability, Scope
from registry import crypto
from registry.models import (
    AccessLog,
    GroupLeader,
    Proxy,
    Registration,
    Residence,
    Resident,
    ResidentStatus,
    ResidentTag,
    RevealedField,
)

REASON_MIN_LENGTH = 4
CIPHER_OF: dict[str, str] = {
    RevealedField.ID_NUMBER: "id_cipher",
    RevealedField.HEALTH: "health_cipher",
    RevealedField.KEY_NOTES: "key_note_cipher",
}


def _role(scope: Scope) -> str:
    return scope.role or ""


def _clean_reason(reason: str) -> str:
    reason = " ".join((reason or "").split())
    if len(reason) < REASON_MIN_LENGTH:
        raise ValidationError({"reason": _("Say why you need it; the reason is logged.")})
    return reason[:200]


@transaction.atomic
def reveal(actor: User, scope: Scope, resident: Resident, field: str, reason: str) -> str:
    """The full identity number, health notes or key-person notes of a resident in scope.

    Only a role that may reveal, only with a reason, and every reveal is written to the
    access log (who, as what, when, what, why), which the committee lead reads.
    """
    if not scope.can(Capability.REVEAL_IDENTITY):
        raise PermissionDenied(_("Your active role may not see full values."))
    if field not in CIPHER_OF:
        raise ValidationError({"field": _("Nothing to reveal by that name.")})
    if not scope.covers(resident.household.building) or resident.anonymised_at is not None:
        raise PermissionDenied(_("This resident lies outside your area."))
    reason = _clean_reason(reason)
    AccessLog.objects.create(
        actor=actor,
        actor_role=_role(scope),
        resident=resident,
        field=field,
        reason=reason,
        area_path=resident.household.building.path,
    )
    return crypto.decrypt(getattr(resident, CIPHER_OF[field]))


def log_export(actor: User, scope: Scope, area: Area, count: int, reason: str) -> AccessLog:
    """An unmasked export is one access-log row for the whole list, with its size."""
    if not scope.can(Capability.EXPORT_UNMASKED):
        raise PermissionDenied(_("Your active role may not export full values."))
    return AccessLog.objects.create(
        actor=actor,
        actor_role=_role(scope),
        field=RevealedField.EXPORT,
        reason=_clean_reason(reason),
        count=count,
        area_path=area.path,
    )


# --- A resident's own data -------------------------------------------------------------------------


def _iso(value) -> str | None:
    return value.isoformat() if value else None


def own_data(user: User) -> dict:
    """Everything Mulin holds about ``user``: the account, their registry records in full,
    where they lived, their tags, who looked at their data and why, their registrations and
    the family members who act for them. The download itself is logged."""
    records = list(
        Resident.objects.filter(user=user, anonymised_at__isnull=True).select_related(
            "household__building", "committee"
        )
    )
    data = {
        "generated_at": timezone.now().isoformat(),
        "account": {
            "name": user.name,
            "mobile": user.phone,
            "joined": _iso(user.date_joined),
            "last_login": _iso(user.last_login),
            "home_area": user.home_area.name if user.home_area is not None else None,
            "language": user.language,
            "elderly_mode": user.elderly_mode,
            "roles": [
                {"role": g.get_role_display(), "area": g.area.name, "since": _iso(g.granted_at)}
                for g in user.active_grants
            ],
        },
        "registry": [_record(person) for person in records],
        "registrations": [
            {
                "committee": r.committee.name,
                "room": r.room,
                "name": r.name,
                "status": r.get_status_display(),
                "registered": _iso(r.created_at),
                "decided": _iso(r.decided_at),
            }
            for r in Registration.objects.filter(user=user).select_related("committee")
        ],
        "acting_for": [
            {"name": p.resident.name, "relation": p.relation, "since": _iso(p.created_at)}
            for p in Proxy.objects.filter(user=user, revoked_at__isnull=True).select_related("resident")
        ],
    }
    for person in records:
        AccessLog.objects.create(
            actor=user,
            resident=person,
            field=RevealedField.OWN_DATA,
            reason=_("The resident downloaded their own data."),
            area_path=person.household.building.path,
        )
    return data


def _record(person: Resident) -> dict:
    return {
        "committee": person.committee.name,
        "address": person.household.address,
        "name": person.name,
        "gender": person.get_gender_display(),
        "birth_date": _iso(person.birth_date),
        "identity_card_number": crypto.decrypt(person.id_cipher),
        "phone": person.phone,
        "relation_to_householder": person.get_relation_display(),
        "residence_type": person.get_residence_type_display(),
        "status": person.get_status_display(),
        "moved_in": _iso(person.moved_in_on),
        "moved_out": _iso(person.moved_out_on),
        "health_notes": crypto.decrypt(person.health_cipher),
        "key_person_notes": crypto.decrypt(person.key_note_cipher),
        "consent": {"on": _iso(person.consent_on), "how": person.consent_note},
        "tags": [
            {"tag": t.get_tag_display(), "since": _iso(t.set_at), "source": t.get_source_display()}
            for t in person.tags.all()
        ],
        "derived_tags": [str(t) for t in person.derived_tags()],
        "history": [
            {
                "address": stay.household.address,
                "relation": stay.get_relation_display(),
                "moved_in": _iso(stay.moved_in_on),
                "moved_out": _iso(stay.moved_out_on),
                "why_it_ended": stay.get_end_reason_display(),
            }
            for stay in person.residences.select_related("household__building").order_by("moved_in_on", "pk")
        ],
        "looked_at_by": [
            {
                "when": _iso(entry.at),
                "who": entry.actor.name if entry.actor else None,
                "as": role_label(entry.actor_role),
                "what": entry.get_field_display(),
                "why": entry.reason,
            }
            for entry in person.access_log.select_related("actor").order_by("at")
        ],
        "family_proxies": [
            {"name": p.user.name, "relation": p.relation, "since": _iso(p.created_at)}
            for p in person.proxies.filter(revoked_at__isnull=True).select_related("user")
        ],
    }


# --- Anonymisation -------------------------------------------------------------------------------


def retention_cutoff(today: date | None = None) -> date:
    return (today or timezone.localdate()) - timedelta(days=settings.REGISTRY_RETENTION_DAYS)


def expired(today: date | None = None):
    """Records of people who moved away or died more than the retention period ago."""
    return Resident.objects.filter(
        status__in=(ResidentStatus.MOVED_OUT, ResidentStatus.DECEASED),
        moved_out_on__lt=retention_cutoff(today),
        anonymised_at__isnull=True,
    )


@transaction.atomic
def anonymise(resident: Resident) -> None:
    """Remove everything that identifies the person; keep that someone lived at that door,
    from when to when, so the household's history and the counts stay true.

    The audit entries about the person and their tags, stays, posts and proxies lose their
    recorded values too (they held the name and phone number).
    """
    refs = {
        Resident: [resident.pk],
        Residence: list(resident.residences.values_list("pk", flat=True)),
        ResidentTag: list(resident.tags.values_list("pk", flat=True)),
        GroupLeader: list(resident.leader_posts.values_list("pk", flat=True)),
        Proxy: list(resident.proxies.values_list("pk", flat=True)),
    }
    resident.tags.all().delete()
    resident.proxies.all().delete()
    Registration.objects.filter(resident=resident).update(resident=None)
    Resident.objects.filter(pk=resident.pk).update(
        name="",
        gender="",
        birth_date=None,
        id_cipher="",
        id_hash="",
        id_masked="",
        phone="",
        health_cipher="",
        key_note_cipher="",
        pinyin="",
        initials="",
        user=None,
        verified_at=None,
        consent_note="",
        census_digest="",
        anonymised_at=timezone.now(),
    )
    where = Q()
    for model, ids in refs.items():
        if ids:
            where |= Q(
                content_type=ContentType.objects.get_for_model(model), object_id__in=[str(i) for i in ids]
            )
    AuditEntry.objects.filter(where).update(object_repr=_("(anonymised)"), changes={"anonymised": True})
    actor = current_actor()
    AuditEntry.objects.create(
        action="update",
        actor_id=actor.user_id if actor else None,
        content_type=ContentType.objects.get_for_model(Resident),
        object_id=str(resident.pk),
        object_repr=_("(anonymised)"),
        changes={"anonymised": True},
        area_path=resident.household.building.path,
        note=_("anonymised after the retention period"),
    )


def anonymise_expired(today: date | None = None) -> int:
    """Anonymise every record past the retention period; returns how many."""
    count = 0
    for resident in expired(today).select_related("household__building").iterator(chunk_size=500):
        anonymise(resident)
        count += 1
    return count
