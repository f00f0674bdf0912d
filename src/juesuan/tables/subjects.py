"""科目 dictionaries: code → name for 支出功能分类 (类/款/项) and 部门支出经济分类, per year.

The data live in ``tables/data/function_YYYY.yaml`` and ``economic_YYYY.yaml``. A lookup for a
year uses the file of that year, else the latest earlier one, else the earliest later one. Each
entry says whether its name is certain: a name recalled rather than verified is marked
``uncertain`` in the data, and rules never report more than 提示 against such an entry.

Each YAML file has a JSON copy beside it (``function_2024.json``), which is what is read: about
0.3 ms, against about 35 ms for importing PyYAML and parsing the YAML in every process that
checks a document. After editing a YAML file, write the copies again with
``python -m juesuan.tables.subjects``; ``tests/test_subjects_json.py`` fails while a copy differs
from its YAML.

    >>> function_name("2080109", 2024)
    '社会保险经办机构'
    >>> lookup("function", "2080109", 2024).certain
    True
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any, Literal

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


def parse_yaml(path: Path) -> Any:
    """The data of a YAML dictionary file (PyYAML is imported only here: the JSON copies are what
    a lookup reads)."""
    import yaml

    # libyaml's loader when PyYAML was built with it (about 8x faster than the pure-Python one)
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    return yaml.load(path.read_text(encoding="utf-8"), Loader=loader)


def json_copy(path: Path) -> str:
    """The text of the JSON copy of a YAML dictionary file."""
    return json.dumps(parse_yaml(path), ensure_ascii=False, indent=1) + "\n"


def _parse(path: Path) -> Any:
    """The data of a dictionary file: its JSON copy when there is one, else the YAML."""
    copy = path.with_suffix(".json")
    if copy.is_file():
        return json.loads(copy.read_text(encoding="utf-8"))
    return parse_yaml(path)


def _load(path: Path) -> SubjectDictionary:
    return from_data(_parse(path))


def from_data(data: Any) -> SubjectDictionary:
    """A dictionary from the data of its file (YAML or its JSON copy)."""
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


LEVEL_OF_LENGTH: dict[int, str] = {3: "类", 5: "款", 7: "项"}
_LEVEL_SUFFIX = re.compile(r"支出$")


def level_of(code: str) -> str | None:
    """The level word of a 科目 code: 类, 款 or 项 (经济分类 has 类 and 款 only); None for no code."""
    kind = kind_of_code(code)
    return LEVEL_OF_LENGTH[len(code)] if kind is not None else None


def level_key(name: str) -> str:
    """A name as :func:`name_levels` keys it: normalised, without a final 支出 (a 类 is printed both
    ways: 一般公共服务（类） and 一般公共服务支出（类））."""
    return _LEVEL_SUFFIX.sub("", normalize_name(name))


@dataclass(frozen=True)
class NameLevels:
    """The levels a 科目 name has in the dictionaries: (dictionary kind, level word) pairs, and
    whether every entry giving them is verified."""

    levels: frozenset[tuple[str, str]]
    certain: bool


@cache
def name_levels(year: int | None = None) -> dict[str, NameLevels]:
    """Every name and alias of both dictionaries of ``year`` (:func:`level_key`) → the levels it
    names. A name found at two levels (其他支出 is a 类 and a 款; 住房公积金 a 功能分类 项 and an 经济分类
    款) has both: its level is not known from the name alone."""
    levels: dict[str, set[tuple[str, str]]] = {}
    sure: dict[str, bool] = {}
    for kind in ("function", "economic"):
        for code, e in dictionary(kind, year).entries.items():  # type: ignore[arg-type]
            lvl = level_of(code)
            if lvl is None:
                continue
            for n in (e.name, *e.aliases):
                k = level_key(n)
                levels.setdefault(k, set()).add((kind, lvl))
                sure[k] = sure.get(k, True) and e.certain
    return {k: NameLevels(frozenset(v), sure[k]) for k, v in levels.items()}


def write_json_copies() -> list[Path]:
    """Write the JSON copy of every YAML dictionary file; the paths written."""
    out: list[Path] = []
    for path in sorted(DATA_DIR.glob("*.yaml")):
        copy = path.with_suffix(".json")
        copy.write_text(json_copy(path), encoding="utf-8")
        out.append(copy)
    return out


if __name__ == "__main__":
    for written in write_json_copies():
        print(f"已写入 {written}")
