"""What a census import found and did, and the same in words for the command line."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass, field

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from registry.census.rows import Problem
from registry.identity import scrub_id_numbers

PROBLEMS_SHOWN = 200


@dataclass
class Counts:
    households_created: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    moved_out: int = 0
    returned: int = 0
    tags_added: int = 0
    tags_removed: int = 0


@dataclass
class ImportReport:
    file_name: str
    committee: str
    apply: bool
    rows: int = 0
    counts: Counts = field(default_factory=Counts)
    problems: list[Problem] = field(default_factory=list)
    problem_count: int = 0
    notes: list[str] = field(default_factory=list)
    not_in_sheet: int = 0
    applied: bool = False
    problems_file: str = ""

    @property
    def ok(self) -> bool:
        return self.problem_count == 0

    def add(self, problems: Iterable[Problem], sink=None) -> None:
        """Count and keep problems. A value or reason that holds something like an identity
        number (a number typed into the wrong column, a message quoting a cell) has it masked
        here, the one door to the report page, the stored report, the command's output and
        the problems CSV."""
        for found in problems:
            problem = Problem(
                found.row, found.column, scrub_id_numbers(found.value), scrub_id_numbers(found.reason)
            )
            self.problem_count += 1
            if len(self.problems) < PROBLEMS_SHOWN:
                self.problems.append(problem)
            if sink is not None:
                sink.writerow([problem.row or "", problem.column, problem.value, problem.reason])

    def as_dict(self) -> dict:
        data = asdict(self)
        data["problems"] = [asdict(p) for p in self.problems]
        return data


def summary_lines(report: ImportReport) -> list[str]:
    c = report.counts
    lines = [
        _("%(file)s for %(committee)s: %(rows)d rows read.")
        % {"file": report.file_name, "committee": report.committee, "rows": report.rows},
        _(
            "Residents: %(created)d new, %(updated)d changed, %(unchanged)d unchanged, "
            "%(moved_out)d moved out, %(returned)d back; households: %(households)d new; "
            "tags: %(added)d set, %(removed)d removed."
        )
        % {
            "created": c.created,
            "updated": c.updated,
            "unchanged": c.unchanged,
            "moved_out": c.moved_out,
            "returned": c.returned,
            "households": c.households_created,
            "added": c.tags_added,
            "removed": c.tags_removed,
        },
    ]
    if report.not_in_sheet:
        lines.append(
            ngettext(
                "%(n)d person recorded at these doors is not in the sheet; they were left as they are.",
                "%(n)d people recorded at these doors are not in the sheet; they were left as they are.",
                report.not_in_sheet,
            )
            % {"n": report.not_in_sheet}
        )
    lines += report.notes
    for problem in report.problems:
        lines.append(f"  {problem}" + (f" [{problem.value}]" if problem.value else ""))
    if report.problem_count > len(report.problems):
        lines.append(_("… and %(n)d more problems.") % {"n": report.problem_count - len(report.problems)})
    if report.applied:
        lines.append(_("Applied."))
    return lines
