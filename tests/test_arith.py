from decimal import Decimal as D

from hypothesis import given
from hypothesis import strategies as st

from juesuan.rules.arith import Verdict, compare, fmt, tolerance


def test_tolerance_grows_with_terms() -> None:
    assert tolerance(3) == D("0.015")
    assert tolerance(11) == D("0.055")
    assert tolerance(2, decimals=0) == D("1.0")


def test_compare_verdicts() -> None:
    assert compare(D("881.98"), [D("771.45"), D("110.54")]).verdict is Verdict.ROUNDING
    assert compare(D("881.99"), [D("771.45"), D("110.54")]).verdict is Verdict.EQUAL
    assert compare(D("882.19"), [D("771.45"), D("110.54")]).verdict is Verdict.MISMATCH
    # blanks are exact zeros and add no rounding term
    c = compare(D("10.00"), [D("10.00"), None, None])
    assert c.verdict is Verdict.EQUAL and c.terms == 2


def test_fmt() -> None:
    assert fmt(D("1051.37")) == "1,051.37"
    assert fmt(D("0.6")) == "0.60"
    assert fmt(None) == "空"


@given(st.lists(st.integers(min_value=0, max_value=10**9), min_size=1, max_size=40))
def test_honest_rounding_is_never_a_mismatch(yuan: list[int]) -> None:
    """Values in 元 rounded one by one to 万元 never produce a mismatch against their rounded sum."""
    q = D("0.01")
    parts = [(D(y) / 10000).quantize(q) for y in yuan]
    total = (D(sum(yuan)) / 10000).quantize(q)
    assert compare(total, list(parts)).verdict is not Verdict.MISMATCH
