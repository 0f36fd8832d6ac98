"""No identity number, valid or not, is stored or logged in clear outside the encrypted fields.

Known numbers (a valid one, one with a wrong check digit, an old 15-digit one, a full-width
one, one with a lower-case x, one typed with spaces) go through every way a number comes in:
the census import (CSV and .xlsx, from the website and from the shell), the resident forms,
the API and the search. Then every table of the database, the logs (every logger at DEBUG,
the SQL with its parameters included), the command's output, the files written (the stored
upload's problem list, the command's problems CSV) and the addresses asked for (what a web
server's access log keeps) are searched for them, in any spelling.
"""

from __future__ import annotations

import logging
import re
from io import StringIO
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.core.signals import request_started
from django.db import connection
from django.urls import reverse

from registry.census.importer import import_census
from registry.identity import check_digit, parse_id_number
from registry.models import CensusImport, Resident
from registry.selectors import search_residents
from tests.api.conftest import api_client
from tests.factories import household, resident
from tests.registry.sheets import person, write_csv, write_xlsx

_FULL = {ord(c): ord("0") + i for i, c in enumerate("０１２３４５６７８９")} | {
    ord("ｘ"): "X",
    ord("Ｘ"): "X",
}
_SPACES = re.compile(r"[\s\u3000]+")


def _valid(first17: str) -> str:
    return first17 + check_digit(first17)


def _wrong_check(first17: str) -> str:
    right = check_digit(first17)
    return first17 + ("0" if right != "0" else "1")


def _full_width(number: str) -> str:
    return number.translate(
        {ord("0") + i: c for i, c in enumerate("０１２３４５６７８９")} | {ord("X"): "Ｘ"}
    )


def _x_number() -> str:
    """A valid number whose check character is X."""
    for n in range(1000):
        first17 = f"31010619450303{n:03d}"
        if check_digit(first17) == "X":
            return first17 + "X"
    raise AssertionError("no X number")


VALID = _valid("31010619500102001")
WRONG_CHECK = "310106194111199700"  # the number: its check digit should not be 0
assert check_digit(WRONG_CHECK[:17]) != "0"
OLD = "310106411119970"  # 15 digits
FULL_WIDTH = _valid("31010619520304002")  # typed full-width
LOWER_X = _x_number()  # typed with a lower-case x
SPACED = _valid("31010619600708003")  # typed as 310106 19600708 003X
API_VALID = _valid("31010619550505004")
FORM_VALID = _valid("31010619580808005")
FORM_WRONG = _wrong_check("31010619580808006")
API_WRONG = _wrong_check("31010619550505007")
XLSX_VALID = _valid("31010619470707008")
XLSX_WRONG = _wrong_check("31010619470707009")
SEARCHED = [VALID, FULL_WIDTH, LOWER_X]
SECRETS = [
    VALID,
    WRONG_CHECK,
    OLD,
    FULL_WIDTH,
    LOWER_X,
    SPACED,
    API_VALID,
    FORM_VALID,
    FORM_WRONG,
    API_WRONG,
    XLSX_VALID,
    XLSX_WRONG,
]


def _plain(text: str) -> str:
    """Spaces out, full-width made plain, upper case: every spelling of a number alike."""
    return _SPACES.sub("", text.translate(_FULL)).upper()


def _leaks(texts: list[str]) -> list[tuple[str, str]]:
    found = []
    for text in texts:
        plain = _plain(text)
        for number in SECRETS:
            if _plain(number) in plain:
                found.append((number, text[:300]))
    return found


def _dump_database() -> list[str]:
    """Every value of every row of every table, one text per row."""
    rows = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")
            rows += [f"{table}: " + " | ".join(str(v) for v in row) for row in cursor.fetchall()]
    return rows


@pytest.fixture
def access_log():
    """What a web server's access log keeps of each request: the path and the query string."""
    lines: list[str] = []

    def keep(sender, environ=None, scope=None, **kwargs):
        if environ is not None:
            lines.append(
                f"{environ.get('REQUEST_METHOD')} {environ.get('PATH_INFO')}?{environ.get('QUERY_STRING')}"
            )

    request_started.connect(keep, dispatch_uid="test-access-log")
    yield lines
    request_started.disconnect(dispatch_uid="test-access-log")


def test_the_numbers_are_what_they_say():
    parse_id_number(VALID)
    parse_id_number(FULL_WIDTH)
    parse_id_number(_full_width(FULL_WIDTH))
    parse_id_number(LOWER_X.lower())
    for wrong in (WRONG_CHECK, FORM_WRONG, API_WRONG, XLSX_WRONG):
        with pytest.raises(Exception, match="check digit"):
            parse_id_number(wrong)


@pytest.mark.parametrize(
    "raw",
    [
        WRONG_CHECK,
        OLD,
        "3.10106E+17",
        VALID[:-1],
        VALID[:-1] + "A",
        "99" + VALID[2:],
        "3101061950023000" + "12",
        _full_width(WRONG_CHECK),
        WRONG_CHECK[:6] + " " + WRONG_CHECK[6:14] + " " + WRONG_CHECK[14:],
    ],
)
def test_a_message_about_a_number_never_quotes_it(raw):
    with pytest.raises(ValidationError) as caught:
        parse_id_number(raw)
    message = caught.value.messages[0]
    assert _plain(raw) not in _plain(message) and "identity-card number" in message


def test_no_number_is_kept_in_clear_anywhere(
    owner, owner_client, tree, tmp_path, settings, caplog, capfd, access_log, english
):
    settings.REGISTRY_UPLOAD_DIR = tmp_path / "census"
    caplog.set_level(logging.DEBUG)
    for name in ("django", "django.db.backends", "django.request", "django.server"):
        caplog.set_level(logging.DEBUG, logger=name)
    connection.force_debug_cursor = True  # the SQL and its parameters go to the log too
    try:
        _seed(owner, owner_client, tree, tmp_path)
    finally:
        connection.force_debug_cursor = False
    out, err = capfd.readouterr()
    # The files written: problem lists (the uploaded sheets themselves hold the numbers in
    # clear by design, and are deleted once applied or discarded, or after a day).
    written = [p.read_text(encoding="utf-8-sig") for p in tmp_path.rglob("*problems*.csv")]
    assert len(written) >= 3
    logged = [
        r.getMessage() + " " + str(getattr(r, "sql", "")) + " " + str(getattr(r, "params", ""))
        for r in caplog.records
    ]
    assert any("registry_resident" in line for line in logged), "the SQL was not logged"
    assert _leaks(_dump_database()) == []
    assert _leaks(logged) == []
    assert _leaks([out, err]) == []
    assert _leaks(written) == []
    assert _leaks(access_log) == []


def _seed(owner, owner_client, tree, tmp_path):
    # The census from the website: a clean sheet applied, then one with every kind of bad number.
    good = write_csv(
        tmp_path / "good.csv",
        [
            person("王建国", VALID, room="101", phone="13912345678"),
            person("李秀英", _full_width(FULL_WIDTH), room="102"),
            person("赵大爷", LOWER_X.lower(), room="103"),
            person("钱阿姨", SPACED[:6] + " " + SPACED[6:14] + " " + SPACED[14:], room="104"),
        ],
    )
    _upload(owner_client, good, tree.committee)
    census = CensusImport.objects.latest("pk")
    owner_client.post(reverse("registry:import_action", args=[census.pk]), {"action": "apply"})
    assert Resident.objects.count() == 4, census.report
    bad = write_csv(
        tmp_path / "bad.csv",
        [
            person("校验错", WRONG_CHECK, room="201"),
            person("旧号码", OLD, room="202"),
            person("号码错列", VALID[:-1] + "Z", room="203", phone=WRONG_CHECK),
            person("王建国", VALID, room="204"),  # lives at another door
        ],
    )
    _upload(owner_client, bad, tree.committee)
    bad_census = CensusImport.objects.latest("pk")
    assert bad_census.problem_count >= 3
    owner_client.get(reverse("registry:import_detail", args=[bad_census.pk]))
    owner_client.get(reverse("registry:import_problems", args=[bad_census.pk]))
    # The census from the shell, CSV and .xlsx, with a problems file.
    sheet = write_xlsx(
        tmp_path / "sheet.xlsx",
        [person("孙老师", XLSX_VALID, room="301"), person("周先生", XLSX_WRONG, room="302")],
    )
    for path in (bad, sheet):
        for problems in (tmp_path / f"{path.stem}-problems.csv", None):
            out = StringIO()
            with pytest.raises(CommandError) as failed:
                call_command(
                    "import_census",
                    str(path),
                    committee=tree.committee.code,
                    problems=problems,
                    stdout=out,
                    stderr=out,
                )
            print(out.getvalue(), failed.value)  # captured by capfd with the rest
    ok = write_xlsx(tmp_path / "ok.xlsx", [person("孙老师", XLSX_VALID, room="301")])
    call_command("import_census", str(ok), committee=tree.committee.code, apply=True, stdout=StringIO())
    # The resident forms: a good number and a bad one.
    home = household(tree.building, "401")
    form = {
        "name": "表单人",
        "id_number": FORM_VALID,
        "relation": "householder",
        "residence_type": "registered",
    }
    owner_client.post(reverse("registry:resident_new", args=[home.pk]), form)
    owner_client.post(reverse("registry:resident_new", args=[home.pk]), {**form, "id_number": FORM_WRONG})
    edited = Resident.objects.get(name="表单人")
    owner_client.post(
        reverse("registry:resident_edit", args=[edited.pk]),
        {**form, "id_number": FORM_WRONG, "phone": "13900001111"},
    )
    # The API: a good number, a bad one, a change.
    api = api_client(owner)
    other = household(tree.building, "402")
    added = api.post(
        f"/api/v1/registry/households/{other.pk}/residents",
        {"name": "接口人", "id_number": API_VALID},
        content_type="application/json",
    )
    assert added.status_code == 201, added.content
    api.post(
        f"/api/v1/registry/households/{other.pk}/residents",
        {"name": "接口错", "id_number": API_WRONG, "relation": "spouse"},
        content_type="application/json",
    )
    api.patch(
        f"/api/v1/registry/residents/{added.json()['id']}",
        {"id_number": API_WRONG},
        content_type="application/json",
    )
    # The search: the page's form, with htmx and without, and the API.
    for number in [*SEARCHED, WRONG_CHECK, OLD]:
        owner_client.post(reverse("registry:search"), {"q": number})
        owner_client.post(reverse("registry:search"), {"q": number}, HTTP_HX_REQUEST="true")
        api.post("/api/v1/registry/residents/search", {"q": number}, content_type="application/json")
    resident(household(tree.building, "501"), "另一个")  # something beside them


def _upload(client, path: Path, committee):
    with path.open("rb") as handle:
        return client.post(
            reverse("registry:import"),
            {"file": SimpleUploadedFile(path.name, handle.read()), "committee": committee.code},
        )


# --- The search: by POST only --------------------------------------------------------------------


def test_the_search_form_posts_and_finds_by_number(owner_client, tree, english):
    person_ = resident(household(tree.building, "301"), "王秀英", number=VALID)
    url = reverse("registry:search")
    page = owner_client.get(url).content.decode()
    assert 'method="post"' in page and "hx-post" in page
    for query in (VALID, VALID.lower(), _full_width(VALID), f"{VALID[:6]} {VALID[6:14]} {VALID[14:]}"):
        found = owner_client.post(url, {"q": query}).content.decode()
        assert "王秀英" in found and reverse("registry:resident", args=[person_.pk]) in found, query
    partial = owner_client.post(url, {"q": VALID}, HTTP_HX_REQUEST="true").content.decode()
    assert "王秀英" in partial and 'id="search-results"' in partial


def test_a_number_in_the_address_finds_nobody(owner_client, tree, english, worker):
    resident(household(tree.building, "301"), "王秀英", number=VALID)
    page = owner_client.get(reverse("registry:search"), {"q": VALID}).content.decode()
    assert "王秀英" not in page and "never put in a web address" in page
    assert f'value="{VALID}"' not in page  # not even echoed back into the box
    assert search_residents(worker, VALID) == []
    assert [p.name for p in search_residents(worker, VALID, by_identity=True)] == ["王秀英"]
    # A name still works from an address (links, the area page).
    assert "王秀英" in owner_client.get(reverse("registry:search"), {"q": "王秀英"}).content.decode()


def test_the_api_searches_by_number_only_in_the_body(owner, tree):
    owner_api = api_client(owner)
    resident(household(tree.building, "301"), "王秀英", number=VALID)
    posted = owner_api.post(
        "/api/v1/registry/residents/search", {"q": VALID}, content_type="application/json"
    )
    assert posted.status_code == 200 and [p["name"] for p in posted.json()] == ["王秀英"]
    refused = owner_api.get("/api/v1/registry/residents", {"q": VALID})
    assert refused.status_code == 422 and "POST /residents/search" in refused.json()["detail"]
    by_name = owner_api.post(
        "/api/v1/registry/residents/search", {"q": "wxy"}, content_type="application/json"
    )
    assert [p["name"] for p in by_name.json()] == ["王秀英"]


def test_the_census_report_masks_a_number_in_any_column(tree, tmp_path):
    sheet = write_csv(
        tmp_path / "s.csv",
        [person("校验错", WRONG_CHECK, room="201"), person("错列", VALID, room="202", birth=WRONG_CHECK)],
    )
    problems = tmp_path / "p.csv"
    report = import_census(tree.committee, sheet, problems_path=problems)
    shown = [f"{p.value} {p.reason}" for p in report.problems]
    assert (
        report.problem_count >= 2 and _leaks(shown) == [] and _leaks([problems.read_text("utf-8-sig")]) == []
    )
    assert any("310***********9700" in p.value for p in report.problems)
