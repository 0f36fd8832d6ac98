"""manage.py rotate_data_keys: re-encrypt personal data under the first key of MULIN_DATA_KEYS.

Put the new key first in MULIN_DATA_KEYS (keep the old one after it), run this, then remove
the old key. Identity-number hashes are recomputed under the new key too; census
fingerprints cannot be (they are of whole sheet rows), so the next import of each committee
rewrites its rows once, with the same values.
"""

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils.translation import gettext as _

from registry import crypto
from registry.models import Resident

BATCH = 500
CIPHERS = ("id_cipher", "health_cipher", "key_note_cipher")


class Command(BaseCommand):
    help = "Re-encrypt identity numbers and notes under the first key of MULIN_DATA_KEYS."

    def handle(self, *args, **options):
        changed = 0
        people = Resident.objects.exclude(id_cipher="", health_cipher="", key_note_cipher="").order_by("pk")
        last = 0
        while True:
            batch = list(people.filter(pk__gt=last)[:BATCH])
            if not batch:
                break
            last = batch[-1].pk
            rotated = []
            for person in batch:
                if not any(crypto.needs_rotation(getattr(person, name)) for name in CIPHERS):
                    continue
                for name in CIPHERS:
                    setattr(person, name, crypto.encrypt(crypto.decrypt(getattr(person, name))))
                number = crypto.decrypt(person.id_cipher)
                person.id_hash = crypto.keyed_hash(number)
                person.census_digest = ""
                rotated.append(person)
            with transaction.atomic():
                Resident.objects.bulk_update(rotated, [*CIPHERS, "id_hash", "census_digest"])
            changed += len(rotated)
        self.stdout.write(_("%(n)d resident record(s) re-encrypted under the first key.") % {"n": changed})
