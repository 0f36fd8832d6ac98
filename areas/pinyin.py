"""Pinyin for area names, so that 'yanchang' and 'ycxc' both find 延长新村."""

from functools import lru_cache

from pypinyin import lazy_pinyin


@lru_cache(maxsize=65536)
def pinyin_of(name: str) -> tuple[str, str]:
    """Return (full pinyin, initials), lower case, without spaces or tones."""
    syllables = [s.lower() for s in lazy_pinyin(name, errors="default") if s.strip()]
    full = "".join(syllables)[:255]
    initials = "".join(s[0] for s in syllables if s)[:64]
    return full, initials
