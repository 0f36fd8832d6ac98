"""An import report in words, for the command line and the page's summary."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from registry.census.importer import ImportReport


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
