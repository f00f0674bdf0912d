"""The JSON copies of the 科目 dictionaries (tables/data/*.json) say what their YAML says."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from juesuan.tables.subjects import DATA_DIR, from_data, json_copy, parse_yaml

YAML_FILES = sorted(DATA_DIR.glob("*.yaml"))


def test_every_dictionary_file_is_there() -> None:
    assert {p.stem for p in YAML_FILES} >= {"function_2024", "economic_2024"}


@pytest.mark.parametrize("path", YAML_FILES, ids=lambda p: p.name)
def test_json_copy_is_current(path: Path) -> None:
    copy = path.with_suffix(".json")
    assert copy.is_file(), f"{copy.name} missing: run python -m juesuan.tables.subjects"
    assert copy.read_text(encoding="utf-8") == json_copy(path), (
        f"{copy.name} differs from {path.name}: run python -m juesuan.tables.subjects"
    )


@pytest.mark.parametrize("path", YAML_FILES, ids=lambda p: p.name)
def test_json_copy_gives_the_same_dictionary(path: Path) -> None:
    from_yaml = from_data(parse_yaml(path))
    from_json = from_data(json.loads(path.with_suffix(".json").read_text(encoding="utf-8")))
    assert (from_json.kind, from_json.year) == (from_yaml.kind, from_yaml.year)
    assert list(from_json.entries) == list(from_yaml.entries)  # same codes, same order
    assert from_json.entries == from_yaml.entries
    assert len(from_json.entries) > 50


def test_lookups_do_not_import_pyyaml() -> None:
    code = (
        "import sys\n"
        "from juesuan.tables.subjects import dictionary, function_name\n"
        "assert function_name('2080109', 2024) == '社会保险经办机构'\n"
        "assert dictionary('economic', 2024).get('30101').name == '基本工资'\n"
        "print('yaml' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
