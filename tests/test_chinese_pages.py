"""Chinese pages and files say nothing in English: every page of the site (found by
tests/urlwalk.py, not listed), opened in zh-hans by a committee's staff and by a resident,
and every file it hands out (CSV, Excel, PDF: their text, their headers and their file
names) is checked for runs of English words in what people read. Tags, scripts, styles and
attributes are not read; a short list of names and tokens that stay Latin is allowed.

Date, time and moment inputs on these pages must also hold ISO values (tests/test_date_inputs.py).
"""

from __future__ import annotations

import csv
import html
import io
import re
import zipfile
from urllib.parse import unquote

import pytest
from django.test import Client

from accounts.roles import Role
from registry import privacy
from tests import urlwalk
from tests.factories import UserFactory, grant, household, login_verified, scope_of
from tests.factories import resident as registry_resident
from tests.test_date_inputs import bad_inputs

# What may stay in Latin letters on a Chinese page: the product's name, acronyms people
# read as such, units and the language switch's own "English".
ALLOWED = {
    "mulin", "api", "csv", "pdf", "qr", "sms", "excel", "xlsx", "url", "id", "english", "openapi",
    "json", "wcag", "gb", "t", "echarts", "htmx", "ok", "totp", "app", "wifi", "cn", "https", "http",
    "www",
}  # fmt: skip
WORD = r"[A-Za-z][A-Za-z'’]*"
RUN = re.compile(rf"{WORD}(?:[ \t,.:;!?()_-]+{WORD})+")
HIDDEN = re.compile(r"<(script|style|template|svg)\b.*?</\1>|<!--.*?-->", re.S | re.I)
TAG = re.compile(r"<[^>]+>")
URLISH = re.compile(r"\S*(?:https?://|www\.|/)\S*|\S+@\S+|\b[\w.-]+\.(?:xlsx|csv|pdf|txt|png|jpg)\b")


def english_runs(text: str) -> list[str]:
    """Runs of two or more English words in ``text`` (not URLs, file names or allowed tokens)."""
    text = URLISH.sub(" ", text)
    found = []
    for run in RUN.findall(text):
        words = [w for w in re.findall(WORD, run) if w.lower() not in ALLOWED]
        if len(words) >= 2:
            found.append(run.strip())
    return found


def visible_text(page: str) -> str:
    """What a reader sees: no scripts, styles or comments, no tags (so no attributes)."""
    body = re.split(r"<body\b[^>]*>", page, maxsplit=1)[-1]
    return html.unescape(TAG.sub("\n", HIDDEN.sub(" ", body)))


def file_name(response) -> str:
    """The file name a download is saved under (RFC 5987 ``filename*`` first)."""
    header = response.get("Content-Disposition", "")
    star = re.search(r"filename\*=UTF-8''([^;]+)", header, re.I)
    if star:
        return unquote(star.group(1))
    plain = re.search(r'filename="?([^";]+)"?', header)
    return plain.group(1) if plain else ""


def xlsx_text(body: bytes) -> str:
    """Every string of a workbook (shared and inline, every sheet) and its sheets' names."""
    with zipfile.ZipFile(io.BytesIO(body)) as book:
        parts = [n for n in book.namelist() if n.startswith("xl/") and n.endswith(".xml")]
        texts = []
        for name in parts:
            xml = book.read(name).decode("utf-8")
            texts += re.findall(r"<t(?:\s[^>]*)?>([^<]*)</t>", xml)
            if name == "xl/workbook.xml":
                texts += re.findall(r'<sheet [^>]*name="([^"]*)"', xml)
    return "\n".join(html.unescape(t) for t in texts)


def file_text(response) -> str:
    """The text of a CSV, Excel or PDF response, every sheet and every page."""
    kind = response.get("Content-Type", "")
    body = b"".join(response.streaming_content) if response.streaming else response.content
    if "csv" in kind:
        rows = csv.reader(io.StringIO(body.decode("utf-8-sig")))
        return "\n".join(" | ".join(row) for row in rows)
    if "spreadsheet" in kind:
        return xlsx_text(body)
    if "pdf" in kind:
        from pypdf import PdfReader

        return "\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(body)).pages)
    return ""


@pytest.fixture
def actors(tree):
    """A committee lead of 延长新村, a resident living there (with a registry record), and the
    street's admin, whose figures compare committees."""
    lead = UserFactory.create(name="书记", home_area=tree.committee)
    grant(lead, Role.COMMITTEE_LEAD, tree.committee)
    resident = UserFactory.create(name="王阿姨", home_area=tree.building)
    person = registry_resident(household(tree.building, "201"), "王阿姨")
    person.user = resident
    person.save()
    # A reveal on the access log, made by a social worker: the log names the role.
    worker = UserFactory.create(name="社工", home_area=tree.committee)
    grant(worker, Role.SOCIAL_WORKER, tree.committee)
    privacy.reveal(worker, scope_of(worker), person, "id_number", "办理敬老卡")
    street = UserFactory.create(name="街道管理员", home_area=tree.street)
    grant(street, Role.STREET_ADMIN, tree.street)
    return {
        "staff": (lead, tree.committee),
        "resident": (resident, tree.committee),
        "street": (street, tree.street),
    }


def _walk(user, area) -> list[str]:
    problems = []
    for route in urlwalk.routes():
        client = Client(raise_request_exception=False)
        login_verified(client, user)
        url = urlwalk.fill(route, area)
        response = client.get(url)
        where = f"{url} ({route.name})"
        if response.status_code != 200:
            continue
        kind = response.get("Content-Type", "")
        if "text/html" in kind:
            page = response.content.decode()
            problems += [f"{where}: {run!r}" for run in english_runs(visible_text(page))]
            problems += [f"{where}: not ISO {tag}" for tag in bad_inputs(page)]
            continue
        name = file_name(response)
        if name:
            if "filename*=" not in response.get("Content-Disposition", ""):
                problems.append(f"{where}: file name {name!r} has no UTF-8 form (filename*=)")
            problems += [
                f"{where}: file name {run!r}"
                for run in english_runs(name.replace("-", " ").replace("_", " "))
            ]
        problems += [f"{where}: file text {run!r}" for run in english_runs(file_text(response))]
    return problems


@pytest.mark.django_db
@pytest.mark.parametrize("label", ["staff", "resident", "street"])
def test_no_english_on_chinese_pages_and_files(actors, label):
    user, area = actors[label]
    problems = _walk(user, area)
    assert not problems, "\n".join(sorted(set(problems)))


@pytest.mark.django_db
def test_the_registry_export_is_chinese_in_name_and_text(actors, tree):
    """The export is a POST (the walk only opens pages): its file name and every sheet's text."""
    from django.urls import reverse

    user, _area = actors["staff"]
    registry_resident(household(tree.building, "301"), "李伯伯")
    client = Client()
    login_verified(client, user)
    response = client.post(reverse("registry:export", args=[tree.committee.code]), {})
    assert response.status_code == 200
    header = response["Content-Disposition"]
    assert "filename*=UTF-8''" in header and 'filename="' in header
    name = file_name(response)
    assert "人口信息" in name and "已遮挡" in name and not english_runs(re.sub(r"[-_]", " ", name))
    assert not english_runs(file_text(response))
