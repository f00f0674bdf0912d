"""科目 dictionaries: code → name for 支出功能分类 (类/款/项) and 部门支出经济分类, per year.

The data live in ``tables/data/function_YYYY.yaml`` and ``economic_YYYY.yaml``. A lookup for a
year uses the file of that year, else the latest earlier one, else the earliest later one. Each
entry says whether its name is certain: a name recalled rather than verified is marked
``uncertain`` in the data, and rules never report more than 提示 against such an entry.

    >>> function_name("2080109", 2024)
    '社会保险经办机构'
    >>> lookup("function", "2080109", 2024).certain
    True
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any, Literal

import yaml

# libyaml's loader when PyYAML was built with it (about 8x faster than the pure-Python one)
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

DATA_DIR = Path(__file__).parent / "data"
Kind = Literal["function", "economic"]
_FILE_PREFIX: dict[str, str] = {"function": "function", "economic": "economic"}


@dataclass(frozen=True)
class SubjectEntry:
    code: str
    name: str
    certain: bool = True
    aliases: tuple[str, ...] = ()
    year: int = 0  # the year of the data file the entry comes from

    def accepts(self, printed: str) -> bool:
        """True when ``printed`` is this 科目's name or an accepted alias (after normalising)."""
        p = normalize_name(printed)
        return p == normalize_name(self.name) or any(p == normalize_name(a) for a in self.aliases)


@dataclass
class SubjectDictionary:
    kind: str
    year: int
    entries: dict[str, SubjectEntry] = field(default_factory=dict)

    def get(self, code: str) -> SubjectEntry | None:
        return self.entries.get(code)


_WS = re.compile(r"\s+")
# Full-width and half-width brackets, dashes and the like print both ways; the name is the same.
_TRANS = str.maketrans({"(": "（", ")": "）", "[": "（", "]": "）", ",": "，", ":": "：", ";": "；"})


def normalize_name(name: str) -> str:
    """A name as compared: NFKC-folded letters, brackets full-width, whitespace removed."""
    s = unicodedata.normalize("NFKC", name)
    s = s.translate(_TRANS)
    return _WS.sub("", s).strip("　")


def _entry(code: str, raw: Any, year: int) -> SubjectEntry:
    if isinstance(raw, str):
        return SubjectEntry(code=code, name=raw, year=year)
    if isinstance(raw, dict) and isinstance(raw.get("name"), str):
        return SubjectEntry(
            code=code,
            name=raw["name"],
            certain=not bool(raw.get("uncertain", False)),
            aliases=tuple(str(a) for a in raw.get("aliases") or ()),
            year=year,
        )
    raise ValueError(f"科目字典条目 {code} 格式不正确：{raw!r}")


def _load(path: Path) -> SubjectDictionary:
    data = yaml.load(path.read_text(encoding="utf-8"), Loader=_LOADER)
    year = int(data["year"])
    kind = str(data["kind"])
    d = SubjectDictionary(kind=kind, year=year)
    for code, raw in (data.get("entries") or {}).items():
        d.entries[str(code)] = _entry(str(code), raw, year)
    items = {str(k): str(v) for k, v in (data.get("standard_items") or {}).items()}
    for kuan in data.get("standard_kuan") or []:
        for suffix, name in items.items():
            code = f"{kuan}{suffix}"
            d.entries.setdefault(code, SubjectEntry(code=code, name=name, year=year))
    return d


@cache
def _available(kind: str) -> dict[int, Path]:
    out: dict[int, Path] = {}
    for p in DATA_DIR.glob(f"{_FILE_PREFIX[kind]}_*.yaml"):
        m = re.fullmatch(rf"{_FILE_PREFIX[kind]}_(\d{{4}})\.yaml", p.name)
        if m:
            out[int(m.group(1))] = p
    return out


@cache
def dictionary(kind: Kind, year: int | None = None) -> SubjectDictionary:
    """The dictionary that applies to ``year`` (latest earlier file, else the earliest one)."""
    files = _available(kind)
    if not files:
        raise FileNotFoundError(f"没有{kind}科目字典数据文件（{DATA_DIR}）")
    years = sorted(files)
    chosen = years[-1] if year is None else max((y for y in years if y <= year), default=years[0])
    return _load(files[chosen])


def lookup(kind: Kind, code: str, year: int | None = None) -> SubjectEntry | None:
    return dictionary(kind, year).get(code.strip())


def function_name(code: str, year: int | None = None) -> str | None:
    """Name of a 支出功能分类 科目 (``208``, ``20801``, ``2080109``), None when unknown."""
    e = lookup("function", code, year)
    return e.name if e else None


def econ_name(code: str, year: int | None = None) -> str | None:
    """Name of a 部门支出经济分类 科目 (``301``, ``30101``), None when unknown."""
    e = lookup("economic", code, year)
    return e.name if e else None


def is_certain(kind: Kind, code: str, year: int | None = None) -> bool | None:
    """Whether the entry's name is verified; None when the code is not in the dictionary."""
    e = lookup(kind, code, year)
    return None if e is None else e.certain


def kind_of_code(code: str) -> Kind | None:
    """功能分类 codes start with 2 (201…234), 经济分类 codes with 3 (301…399)."""
    if not code.isdigit():
        return None
    if code[0] == "2" and len(code) in (3, 5, 7):
        return "function"
    if code[0] == "3" and len(code) in (3, 5):
        return "economic"
    return None
