"""The 科目 dictionaries (tables/subjects.py, tables/data/*.yaml)."""

from __future__ import annotations

import pytest

from juesuan.compose.subjects import ECON_NAMES, FUNCTION_SUBJECTS
from juesuan.tables.schema import FUNCTION_CLASSES
from juesuan.tables.subjects import (
    dictionary,
    econ_name,
    function_name,
    is_certain,
    kind_of_code,
    lookup,
    normalize_name,
)


def test_lookups() -> None:
    assert function_name("208", 2024) == "社会保障和就业支出"
    assert function_name("20801", 2024) == "人力资源和社会保障管理事务"
    assert function_name("2080109", 2024) == "社会保险经办机构"
    assert econ_name("30101", 2024) == "基本工资"
    assert econ_name("30399", 2024) == "其他对个人和家庭的补助"
    assert function_name("2999999", 2024) is None
    assert econ_name("39998") is None


def test_standard_items_are_expanded() -> None:
    # 20139 社会工作事务 is listed with the standard 项 01/02/03/50 (seen in the Putuo sample)
    assert function_name("2013901", 2024) == "行政运行"
    assert function_name("2013950", 2024) == "事业运行"
    assert function_name("2013999", 2024) == "其他社会工作事务支出"


def test_year_falls_back_to_nearest_file() -> None:
    assert dictionary("function", 2030).year == 2024  # latest earlier file
    assert dictionary("function", 2001).year == 2024  # no earlier file: the earliest one
    assert function_name("2080109", 2019) == "社会保险经办机构"


def test_certainty_and_aliases() -> None:
    assert is_certain("function", "2080109", 2024) is True
    assert is_certain("function", "2014004", 2024) is False
    assert is_certain("function", "2999999", 2024) is None
    e = lookup("economic", "30212", 2024)
    assert e is not None and e.accepts("因公出国(境)费用") and e.accepts("因公出国（境）费")
    assert not e.accepts("因公出国费")


def test_normalize_name() -> None:
    assert normalize_name("维修 (护) 费") == normalize_name("维修（护）费")
    assert normalize_name("机关事业单位基本养老保险\n缴费支出") == "机关事业单位基本养老保险缴费支出"


def test_kind_of_code() -> None:
    assert kind_of_code("2080109") == "function"
    assert kind_of_code("208") == "function"
    assert kind_of_code("30101") == "economic"
    assert kind_of_code("3010") is None
    assert kind_of_code("合计") is None


@pytest.mark.parametrize("kind", ["function", "economic"])
def test_codes_are_well_formed_and_nested(kind: str) -> None:
    d = dictionary(kind, 2024)  # type: ignore[arg-type]
    lengths = (3, 5, 7) if kind == "function" else (3, 5)
    for code, e in d.entries.items():
        assert code.isdigit() and len(code) in lengths, code
        assert e.name and e.name == e.name.strip(), code
        if len(code) > 3:
            parent = code[:-2]
            assert parent in d.entries, f"{code} {e.name}: no parent {parent}"


def test_agrees_with_the_lists_compose_and_recognition_use() -> None:
    for code, name in FUNCTION_CLASSES.items():
        assert function_name(code, 2024) == name
    for code, name in {**FUNCTION_SUBJECTS, **ECON_NAMES}.items():
        kind = kind_of_code(code)
        assert kind is not None
        e = lookup(kind, code, 2024)
        assert e is not None and e.accepts(name), (code, name, e)
