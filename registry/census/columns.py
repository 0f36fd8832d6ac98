"""The census sheet layout: its columns, the words it uses, and how each cell is read.

The layout is the one committees already keep (人口信息采集表): one row per person, people
of one door on consecutive rows, the householder among them. The header row names the
columns in Chinese; the common variants of each name are understood too (身份证号码,
公民身份号码 …), and the columns may come in any order. ``docs/census.md`` and the
downloadable template describe the same layout; both are made from ``COLUMNS``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from common.text import DASHES, normal_text
from registry.models import DERIVED_TAGS, Gender, Relation, ResidenceType, Tag


@dataclass(frozen=True)
class Column:
    key: str
    header: str  # the name in the template's header row
    aliases: tuple[str, ...]
    required: bool
    description: Promise
    example: str


COLUMNS: tuple[Column, ...] = (
    Column(
        "group",
        "楼组",
        ("楼组名称", "所属楼组"),
        False,
        gettext_lazy("Building group, where building names repeat."),
        "62号楼组",
    ),
    Column(
        "building",
        "楼号",
        ("楼栋", "楼宇", "楼", "幢", "楼栋号"),
        True,
        gettext_lazy("Building, as named in Mulin."),
        "62号楼",
    ),
    Column("unit", "单元", ("单元号",), False, gettext_lazy("Unit, if the building has several."), "2"),
    Column("room", "室号", ("房号", "室", "门牌号", "房间号"), True, gettext_lazy("Room number."), "301"),
    Column("name", "姓名", ("名字",), True, gettext_lazy("Full name."), "王秀英"),
    Column(
        "gender", "性别", (), False, gettext_lazy("男 or 女; read from the identity number if empty."), "女"
    ),
    Column(
        "birth_date",
        "出生日期",
        ("出生年月日", "生日", "出生年月"),
        False,
        gettext_lazy("Read from the identity number if empty; must agree with it."),
        "1942-03-04",
    ),
    Column(
        "id_number",
        "身份证号",
        ("身份证号码", "公民身份号码", "证件号码", "身份证"),
        True,
        gettext_lazy("18 characters; format the column as text."),
        "310106194203040024",
    ),
    Column(
        "phone",
        "联系电话",
        ("电话", "手机", "手机号", "手机号码", "联系方式"),
        False,
        gettext_lazy("Mobile (11 digits) or landline."),
        "13912345678",
    ),
    Column(
        "relation",
        "与户主关系",
        ("关系", "户主关系"),
        True,
        gettext_lazy("户主 for the householder; 配偶, 子女, 父母, 孙子女, 租户 …"),
        "户主",
    ),
    Column(
        "residence_type",
        "户籍类型",
        ("人口类型", "居住类型", "户籍性质", "人员类型"),
        False,
        gettext_lazy("户籍, 常住, 人户分离 or 流动; 户籍 if empty."),
        "户籍",
    ),
    Column(
        "moved_in_on",
        "迁入日期",
        ("入住日期", "迁入时间"),
        False,
        gettext_lazy("When they moved in."),
        "1998-06-01",
    ),
    Column(
        "moved_out_on",
        "迁出日期",
        ("迁出时间",),
        False,
        gettext_lazy("Filled when they have moved away; the record is kept as moved out."),
        "",
    ),
    Column(
        "tags",
        "标签",
        ("人员类别", "特殊人群", "人员标签"),
        False,
        gettext_lazy(
            "Separated by 、 or commas: 独居, 纯老, 残疾, 低保, 优抚, 重点人员, 党员, 在职党员, 退役军人."
        ),
        "独居、党员",
    ),
    Column(
        "health", "健康状况", ("健康信息", "身体状况"), False, gettext_lazy("Stored encrypted."), "高血压"
    ),
    Column(
        "key_notes",
        "重点人员备注",
        ("重点人员情况", "重点人员信息"),
        False,
        gettext_lazy("Stored encrypted."),
        "",
    ),
)
COLUMN_BY_KEY = {column.key: column for column in COLUMNS}


def normal_header(text: str) -> str:
    return re.sub(r"[\s\u3000*＊:：()（）]", "", text or "")


HEADER_NAMES: dict[str, str] = {}
for _column in COLUMNS:
    for _name in (_column.header, *_column.aliases, _column.key):
        HEADER_NAMES[normal_header(_name)] = _column.key

# --- Vocabularies: the words sheets use, to the stored value --------------------------------------

GENDER_WORDS = {"男": Gender.MALE, "女": Gender.FEMALE, "m": Gender.MALE, "f": Gender.FEMALE}
GENDER_WORDS |= {"male": Gender.MALE, "female": Gender.FEMALE, "男性": Gender.MALE, "女性": Gender.FEMALE}

RELATION_WORDS: dict[str, str] = {}
for _value, _words in {
    Relation.HOUSEHOLDER: "户主 本人 户主本人",
    Relation.SPOUSE: "配偶 妻 夫 妻子 丈夫 爱人",
    Relation.CHILD: "子女 子 女 儿子 女儿 长子 长女 次子 次女 三子 三女 独生子 独生女 养子 养女 继子 继女",
    Relation.PARENT: "父母 父亲 母亲 父 母 公公 婆婆 岳父 岳母",
    Relation.GRANDCHILD: "孙子女 孙子 孙女 外孙 外孙女 外孙子 曾孙",
    Relation.GRANDPARENT: "祖父母 祖父 祖母 外祖父 外祖母 爷爷 奶奶 外公 外婆",
    Relation.SIBLING: "兄弟姐妹 兄 弟 姐 妹 哥哥 弟弟 姐姐 妹妹",
    Relation.CHILD_IN_LAW: "儿媳 女婿 媳妇 儿媳妇",
    Relation.OTHER_RELATIVE: "其他亲属 亲属 侄子 侄女 外甥 外甥女 叔叔 阿姨 舅舅",
    Relation.TENANT: "租户 租客 承租人 房客 合租",
    Relation.CAREGIVER: "保姆 护工 住家保姆",
    Relation.OTHER: "其他 其它 非亲属",
}.items():
    for _word in _words.split():
        RELATION_WORDS[_word] = _value
    RELATION_WORDS[_value] = _value

RESIDENCE_WORDS: dict[str, str] = {}
for _residence, _words in {
    ResidenceType.REGISTERED: "户籍 户籍人口 本地户籍 户在人在",
    ResidenceType.PERMANENT: "常住 常住人口 非户籍常住 外区户籍常住",
    ResidenceType.SEPARATED: "人户分离 户在人不在",
    ResidenceType.FLOATING: "流动 流动人口 来沪人员 外来人口 暂住",
}.items():
    for _word in _words.split():
        RESIDENCE_WORDS[_word] = _residence
    RESIDENCE_WORDS[_residence] = _residence

TAG_WORDS: dict[str, str] = {}
for _tag, _words in {
    Tag.LIVING_ALONE: "独居 独居老人",
    Tag.ELDERLY_ONLY: "纯老 纯老家庭 纯老户",
    Tag.AGED_80: "80岁以上 高龄 高龄老人 80+",
    Tag.DISABLED: "残疾 残疾人 残障",
    Tag.LOW_INCOME: "低保 低保户 低收入",
    Tag.ENTITLED: "优抚 优抚对象",
    Tag.KEY_PERSON: "重点人员 重点",
    Tag.PARTY_MEMBER: "党员 中共党员",
    Tag.SERVING_PARTY_MEMBER: "在职党员 报到党员 在职党员报到",
    Tag.VETERAN: "退役军人 复员军人 转业军人 军转干部",
    Tag.MINOR: "未成年 未成年人 儿童",
}.items():
    for _word in _words.split():
        TAG_WORDS[_word] = _tag
    TAG_WORDS[_tag] = _tag
DERIVED_TAG_WORDS = {word for word, tag in TAG_WORDS.items() if tag in DERIVED_TAGS}


def tag_column(header: str) -> str | None:
    """The tag a column of its own stands for (独居, 是否独居, 党员 …: a yes or no per row);
    None for other columns and for tags worked out from the birth date (80岁以上)."""
    tag = TAG_WORDS.get(normal_header(header).removeprefix("是否"))
    return tag if tag is not None and tag not in DERIVED_TAGS else None


TAG_SEPARATORS = re.compile(r"[、,，;；/|\s]+")

# --- Dates -------------------------------------------------------------------------------------

_DATE_PATTERNS = (
    re.compile(r"^(\d{4})[-/.。](\d{1,2})[-/.。](\d{1,2})$"),
    re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})[日号]?$"),
    re.compile(r"^(\d{4})(\d{2})(\d{2})$"),
)
# A time of day after the date, as a date-and-time cell saved as text reads: " 0:00:00", "T00:00".
_TIME_OF_DAY = re.compile(r"(?:\s+|T)\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?$")
EXCEL_EPOCH = date(1899, 12, 30)
EXCEL_EPOCH_1904 = date(1904, 1, 1)


class CellError(ValueError):
    """What is wrong with one cell, in words for the report."""


def parse_date(text: str, *, date1904: bool = False) -> date | None:
    """2020-01-02, 2020/1/2, 2020.1.2, 2020年1月2日, 20200102 or an Excel date number, typed
    in full-width digits or with spaces and a time of day after it as well."""
    if not text:
        return None
    if len(text) == 10 and text[4] == "-" and text[7] == "-":
        try:
            return date.fromisoformat(text)
        except ValueError:
            pass  # the patterns below say what is wrong
    elif text.isdigit() and text.isascii() and len(text) <= 5 and int(text) >= 1:
        return (EXCEL_EPOCH_1904 if date1904 else EXCEL_EPOCH) + timedelta(days=int(text))
    text = normal_text(text).translate(DASHES)
    text = "".join(_TIME_OF_DAY.sub("", text).split())
    for pattern in _DATE_PATTERNS:
        match = pattern.match(text)
        if match:
            year, month, day = (int(part) for part in match.groups())
            try:
                return date(year, month, day)
            except ValueError:
                raise CellError(_("“%(value)s” is not a real date.") % {"value": text}) from None
    serial = text[:-2] if text.endswith(".0") else text
    if serial.isdigit() and 1 <= int(serial) < 2958466:
        return (EXCEL_EPOCH_1904 if date1904 else EXCEL_EPOCH) + timedelta(days=int(serial))
    raise CellError(_("“%(value)s” is not a date; write it as 2020-01-31.") % {"value": text})


def parse_gender(text: str) -> str:
    text = text.strip()
    if not text:
        return ""
    value = GENDER_WORDS.get(text.lower())
    if value is None:
        raise CellError(_("“%(value)s” is not 男 or 女.") % {"value": text})
    return value


def parse_relation(text: str) -> str:
    text = text.strip()
    if not text:
        raise CellError(_("The relation to the householder is empty (户主 for the householder)."))
    value = RELATION_WORDS.get(text)
    if value is None:
        raise CellError(
            _(
                "“%(value)s” is not a relation this sheet knows; use 户主, 配偶, 子女, 父母, "
                "孙子女, 租户 or 其他."
            )
            % {"value": text}
        )
    return value


def parse_residence_type(text: str) -> str:
    text = text.strip()
    if not text:
        return ResidenceType.REGISTERED
    value = RESIDENCE_WORDS.get(text)
    if value is None:
        raise CellError(_("“%(value)s” is not 户籍, 常住, 人户分离 or 流动.") % {"value": text})
    return value


def parse_tags(text: str) -> tuple[frozenset[str], list[str]]:
    """The tags to store, and words that are worked out anyway (80岁以上, 未成年)."""
    tags, derived, unknown = set(), [], []
    for word in TAG_SEPARATORS.split(text.strip()):
        if not word:
            continue
        if word in DERIVED_TAG_WORDS:
            derived.append(word)
        elif word in TAG_WORDS:
            tags.add(TAG_WORDS[word])
        else:
            unknown.append(word)
    if unknown:
        raise CellError(
            _(
                "“%(words)s” is not a tag; the tags are 独居, 纯老, 残疾, 低保, 优抚, 重点人员, "
                "党员, 在职党员, 退役军人."
            )
            % {"words": "、".join(unknown)}
        )
    return frozenset(tags), derived


def plain_number(text: str) -> str:
    """'2.0' → '2': a unit or room number read from a number cell."""
    text = "".join(text.split())
    return text[:-2] if text.endswith(".0") and text[:-2].isdigit() else text
