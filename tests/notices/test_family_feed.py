"""A family member who acts for her father (家属代办) and lives elsewhere finds his notices on
the notices page, under his name, and reads them for him."""

from __future__ import annotations

from django.urls import reverse

from notices.models import NoticeRead
from tests.factories import login
from tests.notices.test_pages import publish


def test_the_notices_page_shows_her_fathers_notices(client, owner, people, tree, building2):
    people.daughter.home_area = None
    people.daughter.save(update_fields=["home_area"])
    notice = publish(owner, [building2], title="64号楼电梯检修")
    publish(owner, [tree.building], title="62号楼停水")  # not his building
    login(client, people.daughter)
    page = client.get(reverse("notices:feed")).content.decode()
    assert "For 赵老伯" in page and "64号楼电梯检修" in page and "62号楼停水" not in page
    assert "No notices for you yet." not in page
    client.get(reverse("notices:detail", args=[notice.pk]))
    assert NoticeRead.objects.filter(notice=notice, resident=people.zhao).exists()
