"""Numbers of the narrative and the rounding arithmetic of stated percentages."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from hypothesis import given
from hypothesis import strategies as st

from juesuan.ingest.narrative.claims import tokens
from juesuan.ingest.narrative.numbers import parse_number, places
from juesuan.rules.arith import HALF_UNIT_WAN, PctVerdict, check_pct
from juesuan.tables.numbers import cn_to_int


def test_parse_printed_numbers() -> None:
    assert parse_number("1,051.37") == Decimal("1051.37")
    assert parse_number("2, 106. 35") == Decimal("2106.35")
    assert parse_number("0.6") == Decimal("0.6")
    assert parse_number("4,537") == Decimal("4537")
    assert parse_number("abc") is None
    assert places(Decimal("1.80")) == 2 and places(Decimal("90")) == 0


def test_chinese_numerals() -> None:
    assert cn_to_int("三") == 3
    assert cn_to_int("十二") == 12
    assert cn_to_int("二十") == 20
    assert cn_to_int("一百零五") == 105
    assert cn_to_int("车") is None


def test_tokens_keep_units_and_skip_years() -> None:
    toks = tokens("2024 年度收入、支出总计2, 106. 35万元，增长29.21%，接待2批次、26人次，车辆三辆。")
    assert [(t.value, t.unit) for t in toks] == [
        (Decimal("2106.35"), "万元"),
        (Decimal("29.21"), "%"),
        (Decimal("2"), "批次"),
        (Decimal("26"), "人次"),
        (Decimal("3"), "辆"),
    ]


def test_pct_verdicts() -> None:
    h = HALF_UNIT_WAN
    # 16.22 ÷ 916.50 = 1.7698% → 1.8% (one decimal)
    assert check_pct(Decimal("1.8"), Decimal("16.22"), Decimal("916.50"), h_num=h, h_den=h).verdict is PctVerdict.OK
    assert check_pct(Decimal("1.6"), Decimal("16.22"), Decimal("916.50"), h_num=h, h_den=h).verdict is PctVerdict.WRONG
    # rounded down instead of to nearest: information
    chk = check_pct(Decimal("90.9"), Decimal("54.26"), Decimal("59.64"), h_num=h, h_den=h)
    assert chk is not None and chk.verdict is PctVerdict.TRUNCATED and chk.expected == Decimal("91.0")
    # 386.1% for 42678.16 ÷ 110.54 (the ratio, not the percentage)
    assert check_pct(Decimal("386.1"), Decimal("42678.16"), Decimal("110.54"), h_num=h, h_den=h).verdict is PctVerdict.WRONG
    assert check_pct(Decimal("0"), Decimal("0"), Decimal("0"), h_num=h, h_den=h) is None
    # half-even is accepted as well as half-up: 1 ÷ 8 = 12.5% → 12% or 13%
    for stated in ("12", "13"):
        r = check_pct(Decimal(stated), Decimal("100000.00"), Decimal("800000.00"), h_num=h, h_den=h)
        assert r is not None and r.verdict is PctVerdict.OK


@given(
    st.integers(min_value=1, max_value=10**10),
    st.integers(min_value=1, max_value=10**10),
    st.integers(min_value=0, max_value=3),
    st.sampled_from(["half_up", "half_even"]),
)
def test_honest_rounding_is_never_wrong(part_fen: int, total_fen: int, d: int, mode: str) -> None:
    """Amounts drawn in 分, printed in 万元 with two decimals; the percentage computed from the
    true amounts and rounded at ``d`` places is never judged wrong or truncated."""
    from decimal import ROUND_HALF_EVEN

    q2 = Decimal("0.01")
    part = (Decimal(part_fen) / 1000000).quantize(q2, rounding=ROUND_HALF_UP)
    total = (Decimal(total_fen) / 1000000).quantize(q2, rounding=ROUND_HALF_UP)
    if total == 0:
        return
    true = Decimal(part_fen) / Decimal(total_fen) * 100
    stated = true.quantize(Decimal(1).scaleb(-d), rounding=ROUND_HALF_UP if mode == "half_up" else ROUND_HALF_EVEN)
    chk = check_pct(stated, part, total, h_num=HALF_UNIT_WAN, h_den=HALF_UNIT_WAN)
    assert chk is not None and chk.verdict is PctVerdict.OK, (part, total, stated, chk)
