"""The city-wide default categories."""

import pytest

from demands import categories
from demands.models import Category

pytestmark = pytest.mark.django_db


def test_the_city_wide_defaults_are_written_again_where_they_are_missing():
    """A database emptied since its migrations ran (as a flushing test leaves it) gets them
    back, with the migration's service levels; where they are, nothing is written."""
    assert categories.ensure_defaults() == 0
    Category.objects.filter(committee=None, name="助行").delete()
    assert categories.ensure_defaults() == 1
    walk = Category.objects.get(committee=None, name="助行")
    assert (walk.service_hours, walk.elderly) == (72, True)
