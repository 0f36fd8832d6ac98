"""Chinese first: every string the code can show has a Chinese translation, none fuzzy.

``makemessages`` runs over a copy of the project (so the checkout is not touched) and the
resulting catalogue must have no untranslated and no fuzzy entry: a string added without
its translation fails here, not in front of a resident.
"""

import re
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SKIP = shutil.ignore_patterns(
    ".venv", "node_modules", "var", "staticfiles", "screenshots", ".git", "__pycache__", "*.mo"
)


def _entries(po: str):
    """(flags, msgid, msgstr values) for each entry of a .po file, the header excluded."""
    for block in po.split("\n\n"):
        lines = block.strip().splitlines()
        flags = " ".join(line for line in lines if line.startswith("#,"))
        text = "\n".join(line for line in lines if not line.startswith("#"))
        msgid = (
            "".join(re.findall(r'^msgid "(.*)"$|^"(.*)"$', text.split("msgstr")[0], re.M)[0])
            if "msgid" in text
            else ""
        )
        strings = re.findall(r'msgstr(?:\[\d\])? "(.*)"((?:\n".*")*)', text)
        values = [first + "".join(re.findall(r'"(.*)"', rest)) for first, rest in strings]
        if msgid or any(values):
            yield flags, text.split("\n")[0], values


def test_every_string_has_a_chinese_translation(tmp_path):
    copy = tmp_path / "mulin"
    shutil.copytree(ROOT, copy, ignore=SKIP)
    result = subprocess.run(
        [
            sys.executable,
            "manage.py",
            "makemessages",
            "-l",
            "zh_Hans",
            "--ignore=bench",
            "--ignore=tests",
            "--ignore=scripts",
            "-v0",
        ],
        cwd=copy,
        capture_output=True,
        text=True,
        timeout=300,
        env={
            "PATH": "/usr/bin:/bin",
            "MULIN_VAR_DIR": str(tmp_path / "var"),
            "DJANGO_SETTINGS_MODULE": "mulin.settings",
        },
    )
    assert result.returncode == 0, result.stderr
    po = (copy / "locale/zh_Hans/LC_MESSAGES/django.po").read_text()
    missing = [first for flags, first, values in _entries(po) if "fuzzy" in flags or not all(values)]
    missing = [m for m in missing if m != 'msgid ""']
    assert not missing, f"{len(missing)} strings without a Chinese translation:\n" + "\n".join(missing[:40])


def test_wording_that_once_read_wrong_in_chinese():
    """A count label that reused a column's translation ("迁出日期", the move-out *date*, for the
    number of people who moved out), and a sentence that was not Chinese as people speak it."""
    from django.template import Context, Template
    from django.utils import translation

    from deliberation.models import Decision

    with translation.override("zh-hans"):
        summary = Template(
            '{% load i18n %}{% translate "moved out" context "census summary: residents who moved out" %}'
        ).render(Context())
        today = translation.gettext("No visit plan gives you households today.")
        # A decision's due date (Decision.due_on) was labelled 进行中, the notice plan's badge.
        due_on = str(Decision._meta.get_field("due_on").verbose_name)
        running = translation.pgettext("notice plan: this period is still running", "due")
    assert "日期" not in summary and "迁出" in summary
    assert due_on == "到期日" and running == "进行中"
    assert today == "今天没有分配给您的走访住户。"
