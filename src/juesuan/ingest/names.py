"""Department names as the rules, the corpus and the web app match them: one department printed under
several forms (full-width, spaced, the Party committee's three names) compares equal."""

from __future__ import annotations

import re
import unicodedata

_NORM_DROP = re.compile(r"[\s()\[\]“”‘’\"'·.,、:;《》〈〉「」『』【】<>-]")


_PARTY_COMMITTEE = re.compile(r"^中共(\w{1,12}?[省市区县州盟旗])委员会")
_PARTY_PREFIX = re.compile(r"^中共(?=\w{1,12}?[省市区县州盟旗]委)")


def normalise_department(name: str | None) -> str | None:
    """A department name for matching across years: full-width forms folded (NFKC), no spaces,
    brackets, quotes or punctuation (``中共某某区委 社会工作部`` = ``中共某某区委社会工作部``)."""
    if not name:
        return None
    norm = _NORM_DROP.sub("", unicodedata.normalize("NFKC", name))
    # the Party committee's office under its three printed names (one department's tables file
    # says 中国共产党江苏省委员会办公厅, its narrative 江苏省委办公厅, next year's tables 中共江苏省委办公厅):
    # 中国共产党 is 中共, a 省/市/区/县 committee is its 委, and 某省委 names the Party's committee alone
    norm = norm.replace("中国共产党", "中共")
    norm = _PARTY_COMMITTEE.sub(r"\1委", norm)
    norm = _PARTY_PREFIX.sub("", norm)
    return norm or None
