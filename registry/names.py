"""Pinyin of people's names, so that 'zhangsan', 'zs' and '张三' all find 张三.

A name is read character by character: names are not phrases, and a per-character table is
thirty times faster than phrase segmentation, which matters for a 100,000-row census. The
surname is read as a surname (单 is Shan, 曾 is Zeng when it is a family name).
"""

from __future__ import annotations

from functools import lru_cache

from pypinyin import lazy_pinyin

SURNAME_READINGS = {
    "单": "shan",
    "曾": "zeng",
    "解": "xie",
    "仇": "qiu",
    "朴": "piao",
    "查": "zha",
    "区": "ou",
    "盖": "ge",
    "乐": "yue",
    "覃": "qin",
    "翟": "zhai",
    "缪": "miao",
    "召": "shao",
    "尉": "yu",
    "冼": "xian",
    "秘": "bi",
    "员": "yun",
    "种": "chong",
    "柏": "bai",
    "繁": "po",
    "句": "gou",
    "黑": "he",
    "藏": "zang",
    "长": "chang",
    "重": "chong",
    "沈": "shen",
    "万": "wan",
    "宓": "mi",
}


@lru_cache(maxsize=32768)
def _reading(char: str) -> str:
    syllables = lazy_pinyin(char, errors="ignore")
    return syllables[0].lower() if syllables else ""


def name_pinyin(name: str) -> tuple[str, str]:
    """(full pinyin, initials) of a person's name, lower case, without spaces or tones.

    A run of Latin letters ("Anna Li") counts as one syllable.
    """
    name = name.strip()
    syllables: list[str] = []
    latin = ""
    for index, char in enumerate(name):
        if char.isascii():
            if char.isalnum():
                latin += char.lower()
                continue
        elif index == 0 and char in SURNAME_READINGS:
            syllables.append(SURNAME_READINGS[char])
            continue
        if latin:
            syllables.append(latin)
            latin = ""
        if not char.isascii():
            syllables.append(_reading(char))
    if latin:
        syllables.append(latin)
    syllables = [s for s in syllables if s]
    full = "".join(syllables)
    initials = "".join(s[0] for s in syllables)
    return full[:100], initials[:20]
