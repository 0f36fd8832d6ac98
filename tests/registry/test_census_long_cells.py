"""A census row whose unit or room is too long for any door is a problem of that row, not a
crash: the door of a bad row went into the import's door table (VARCHAR(20) for the room),
and PostgreSQL refused it, failing the whole upload with a 500."""

from registry.census.importer import import_census
from tests.factories import id_number
from tests.registry.sheets import person, write_csv


def test_a_room_or_unit_too_long_is_a_problem_not_a_crash(tree, tmp_path):
    sheet = write_csv(
        tmp_path / "long.csv",
        [
            person("王建国", "310106194111199700", room="3" * 30),
            person("李秀英", id_number("1952-01-02", male=False), unit="2" * 12, room="302"),
        ],
    )
    report = import_census(tree.committee, sheet)
    assert report.problem_count >= 2 and not report.applied
