"""Pinyin for area names, so that 'yanchang' and 'ycxc' both find 延长新村."""

from functools import lru_cache

from pypinyin import lazy_pinyin

# Endings shared by thousands of official names. Converting them once and only the distinct
# part of each name halves the cost of a full import (pinyin is its largest single cost);
# a word never spans the boundary, so the result is the same (checked on all of Shanghai).
COMMON_SUFFIXES = ("社区居委会", "居民委员会", "村民委员会", "居委会", "村委会", "街道", "镇", "乡")


@lru_cache(maxsize=65536)
def _syllables(text: str) -> tuple[str, ...]:
    return tuple(s.lower() for s in lazy_pinyin(text, errors="default") if s.strip())


def _name_syllables(name: str) -> tuple[str, ...]:
    for suffix in COMMON_SUFFIXES:
        if name.endswith(suffix) and len(name) > len(suffix):
            return _syllables(name[: -len(suffix)]) + _syllables(suffix)
    return _syllables(name)


@lru_cache(maxsize=65536)
def pinyin_of(name: str) -> tuple[str, str]:
    """Return (full pinyin, initials), lower case, without spaces or tones."""
    syllables = _name_syllables(name)
    full = "".join(syllables)[:255]
    initials = "".join(s[0] for s in syllables if s)[:64]
    return full, initials
