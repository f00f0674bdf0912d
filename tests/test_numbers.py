from decimal import Decimal as D

import pytest

from juesuan.tables.numbers import NumberError, parse_amount, parse_percent


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("2, 106. 35", D("2106.35")),
        ("1,051.37", D("1051.37")),
        ("0.6", D("0.6")),
        ("0.00", D("0.00")),
        ("-3.20", D("-3.20")),
        ("（3.20）", D("-3.20")),
        ("１２３．４５", D("123.45")),
        ("", None),
        ("  ", None),
        ("-", None),
    ],
)
def test_parse_amount(text: str, value: D | None) -> None:
    assert parse_amount(text) == value


@pytest.mark.parametrize("text", ["abc", "12.3.4", "1２a", "45%"])
def test_parse_amount_rejects(text: str) -> None:
    with pytest.raises(NumberError):
        parse_amount(text)


def test_blank_zero_distinct() -> None:
    assert parse_amount("") is None
    assert parse_amount("0.00") == 0


def test_percent() -> None:
    assert parse_percent("118.7%") == D("118.7")
    assert parse_percent("118.7") is None
