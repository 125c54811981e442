"""Every cell format a 生意参谋 export uses, read into counts, money, scores, dates and ratios.

A number is never changed silently: what cannot be read exactly is an error, not a guess.
"""

import datetime
import string
from decimal import Decimal

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from stores.imports import cells
from stores.imports.cells import (
    CellError,
    convert_column,
    parse_check,
    parse_count,
    parse_date,
    parse_money,
    parse_score,
)

D = Decimal

# Counts --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("1234", 1234),
        (" 1234 ", 1234),
        ("1,234", 1234),
        ("1,234,567", 1234567),
        ("12.0", 12),
        ("0", 0),
        ("１２３", 123),  # full-width digits
        (1234.0, 1234),  # an Excel number
        (7, 7),
        ("-", None),
        ("--", None),
        ("—", None),
        ("", None),
        ("   ", None),
        (None, None),
    ],
)
def test_count_cells(cell, expected):
    assert parse_count(cell) == expected


@pytest.mark.parametrize(
    ("cell", "problem"),
    [
        ("12.5", "not_whole"),
        (12.5, "not_whole"),
        ("-5", "negative"),
        (-5.0, "negative"),
        ("abc", "not_number"),
        ("1,23", "not_number"),  # a decimal comma, or a typo: never 123
        ("3.25%", "percent"),
        ("1.2E+05", "scientific"),
        (True, "not_number"),
        (datetime.date(2026, 11, 1), "not_number"),
        ("99999999999", "too_large"),
    ],
)
def test_count_cells_that_are_errors(cell, problem):
    with pytest.raises(CellError) as caught:
        parse_count(cell)
    assert caught.value.problem == problem


# Money ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("1234.50", D("1234.50")),
        ("1234.5", D("1234.50")),
        (" 1234 ", D("1234.00")),
        ("1,234.50", D("1234.50")),
        ("¥1,234.50", D("1234.50")),
        ("￥1,234.50", D("1234.50")),
        ("¥ 1,234.50", D("1234.50")),
        ("1234元", D("1234.00")),
        ("12.300", D("12.30")),  # trailing zeros lose nothing
        (1234.5, D("1234.50")),  # an Excel number
        (0.1 + 0.2, D("0.30")),  # Excel shows 0.3: binary noise is not a third decimal
        (1234, D("1234.00")),
        ("0", D("0.00")),
        ("-", None),
        ("", None),
    ],
)
def test_money_cells(cell, expected):
    value = parse_money(cell)
    assert value == expected
    assert value is None or str(value) == str(expected)  # always 2 places


@pytest.mark.parametrize(
    ("cell", "problem"),
    [
        ("12.345", "money_decimals"),
        (12.345, "money_decimals"),
        ("-12.00", "negative"),
        ("¥-5", "negative"),
        ("-¥5", "negative"),
        ("abc", "not_number"),
        ("12,34", "not_number"),
        ("1e3", "scientific"),
        ("NaN", "not_number"),
        (float("nan"), "not_number"),
        (float("inf"), "not_number"),
        ("3.25%", "percent"),
        ("10000000000000", "too_large"),
    ],
)
def test_money_cells_that_are_errors(cell, problem):
    with pytest.raises(CellError) as caught:
        parse_money(cell)
    assert caught.value.problem == problem


# DSR scores ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("4.8512", D("4.8512")),
        ("4.85", D("4.8500")),
        (4.9, D("4.9000")),
        ("5", D("5")),
        ("0", D("0")),
        ("-", None),
    ],
)
def test_score_cells(cell, expected):
    assert parse_score(cell) == expected


@pytest.mark.parametrize(
    ("cell", "problem"),
    [("5.1", "score_range"), ("-0.1", "score_range"), ("4.85123", "score_decimals"), ("high", "not_number")],
)
def test_score_cells_that_are_errors(cell, problem):
    with pytest.raises(CellError) as caught:
        parse_score(cell)
    assert caught.value.problem == problem


# Dates ---------------------------------------------------------------------------------

NOV_1 = datetime.date(2026, 11, 1)


@pytest.mark.parametrize(
    "cell",
    [
        "2026-11-01",
        "2026/11/1",
        "2026/11/01",
        "20261101",
        "2026年11月1日",
        "2026年11月01日",
        "2026-11-01 00:00:00",
        "2026-11-01 00:00",
        "2026.11.01",
        " 2026-11-01 ",
        "2026-11-01(周日)",
        "２０２６－１１－０１",  # full width
        NOV_1,
        datetime.datetime(2026, 11, 1, 0, 0),
        46327.0,  # an Excel serial number for a date cell calamine did not recognise
        46327,
        20261101.0,  # 20261101 typed as a number
    ],
)
def test_date_cells(cell):
    assert parse_date(cell) == NOV_1


@pytest.mark.parametrize("cell", ["", "-", "--", None])
def test_missing_date_cells(cell):
    assert parse_date(cell) is None


@pytest.mark.parametrize(
    ("cell", "problem"),
    [
        ("2026-02-30", "not_date"),
        ("abc", "not_date"),
        ("11/01/2026", "not_date"),  # month/day order is ambiguous: not accepted
        ("2026-11-01 ~ 2026-11-07", "not_date"),
        ("1999-12-31", "date_range"),
        ("2100-01-01", "date_range"),
        (5.0, "date_range"),  # serial 5 is 1900-01-05
        (-3.0, "not_date"),
        (True, "not_date"),
        (datetime.time(8, 30), "not_date"),
    ],
)
def test_date_cells_that_are_errors(cell, problem):
    with pytest.raises(CellError) as caught:
        parse_date(cell)
    assert caught.value.problem == problem


# Derived figures (cross-check columns) ----------------------------------------------------


@pytest.mark.parametrize(
    ("cell", "value", "percent", "places"),
    [
        ("3.25%", 3.25, True, 2),
        ("182.50", 182.5, False, 2),
        ("1,182.5", 1182.5, False, 1),
        (0.0325, 0.0325, False, 4),
        ("3", 3.0, False, 0),
    ],
)
def test_check_cells(cell, value, percent, places):
    read_value, slack, read_percent, read_places = parse_check(cell)
    assert (read_value, read_percent, read_places) == (value, percent, places)
    assert slack == pytest.approx(0.5 * 10**-places, rel=1e-3)  # half a unit of the last decimal


def test_missing_check_cell():
    assert parse_check("-") is None


# Properties ------------------------------------------------------------------------------

cents = st.decimals(
    min_value=0, max_value=D("999999999999.99"), places=2, allow_nan=False, allow_infinity=False
)


def _written(amount: Decimal, style: str) -> str:
    return {
        "plain": f"{amount}",
        "grouped": f"{amount:,}",
        "yuan": f"¥{amount:,}",
        "fullwidth": f"￥{amount:,}",
        "spaced": f"  {amount:,}  ",
        "unit": f"{amount}元",
    }[style]


@given(cents, st.sampled_from(["plain", "grouped", "yuan", "fullwidth", "spaced", "unit"]))
def test_any_amount_in_cents_reads_back_as_itself(amount, style):
    assert parse_money(_written(amount, style)) == amount


@given(st.integers(min_value=0, max_value=cells.MAX_COUNT), st.sampled_from(["{}", "{:,}", "{}.0", " {} "]))
def test_any_count_reads_back_as_itself(number, style):
    assert parse_count(style.format(number)) == number


@given(
    st.dates(min_value=datetime.date(2000, 1, 1), max_value=datetime.date(2099, 12, 31)),
    st.sampled_from(
        ["%Y-%m-%d", "%Y/%m/%d", "{y}/{m}/{d}", "%Y%m%d", "{y}年{m}月{d}日", "%Y-%m-%d 00:00:00", "%Y.%m.%d"]
    ),
)
def test_any_date_in_each_text_format_reads_back(day, style):
    text = day.strftime(style) if "%" in style else style.format(y=day.year, m=day.month, d=day.day)
    assert parse_date(text) == day


@given(st.dates(min_value=datetime.date(2000, 1, 1), max_value=datetime.date(2099, 12, 31)))
def test_any_excel_serial_number_reads_back(day):
    assert parse_date(float((day - datetime.date(1899, 12, 30)).days)) == day


garbage = st.one_of(
    st.text(max_size=30),
    st.text(alphabet=string.digits + ".,-+%¥ eE_", max_size=20),
    st.floats(allow_nan=True, allow_infinity=True),
    st.integers(min_value=-(10**20), max_value=10**20),
    st.booleans(),
    st.none(),
)


@pytest.mark.parametrize("parse", [parse_count, parse_money, parse_score, parse_date, parse_check])
@given(cell=garbage)
def test_garbage_never_raises_anything_but_a_cell_error(parse, cell):
    try:
        parse(cell)
    except CellError:
        pass


# Whole columns: the fast paths agree with reading cell by cell ------------------------------

PARSERS = {
    cells.COUNT: parse_count,
    cells.MONEY: parse_money,
    cells.SCORE: parse_score,
    cells.DATE: parse_date,
    cells.CHECK: parse_check,
}
column_cells = st.one_of(
    st.sampled_from(["1234", "1,234", "12.0", "12.5", "-", "", "—", "-5", "abc", "4.85", "1234.56", "3.25%"]),
    st.sampled_from(["2026-11-01", "20261101", "合计", "1e3", "1,234.567", "0", "12\n34"]),
    st.sampled_from(["1234,567", "1,2345"]),
    st.floats(min_value=-10, max_value=1e13, allow_nan=False),
    st.floats(allow_nan=True),
    st.integers(min_value=0, max_value=10**6).map(lambda cents: cents / 100),
    st.sampled_from([True, None, datetime.date(2026, 11, 1)]),
)


def _one_by_one(parse, column):
    values, problems = [], []
    for position, cell in enumerate(column):
        try:
            values.append(parse(cell))
        except CellError as error:
            values.append(None)
            problems.append((position, error.problem))
    return values, problems


@pytest.mark.parametrize("kind", list(PARSERS))
@given(column=st.lists(column_cells, min_size=1, max_size=30))
@example(column=[0.0, -0.0])  # equal, yet not the same cell (found by hypothesis)
@example(column=[1, 1.0, True])
def test_a_column_converts_exactly_as_its_cells_one_by_one(kind, column):
    values, errors = convert_column(kind, tuple(column))
    expected_values, expected_problems = _one_by_one(PARSERS[kind], column)
    assert values == expected_values
    assert [str(value) for value in values] == [str(value) for value in expected_values]
    assert [(position, error.problem) for position, error in errors] == expected_problems


@pytest.mark.parametrize(
    ("kind", "column", "expected"),
    [
        (cells.COUNT, ("1", "2", "3"), [1, 2, 3]),
        (cells.COUNT, ("1,234", "-", "5"), [1234, None, 5]),
        (cells.COUNT, (1.0, 2.0), [1, 2]),
        (cells.MONEY, ("1.5", "2", "1,000.25"), [D("1.50"), D("2.00"), D("1000.25")]),
        (cells.MONEY, (1.5, 2.0, 0.07), [D("1.50"), D("2.00"), D("0.07")]),
        (cells.MONEY, ("-", "--"), [None, None]),
    ],
)
def test_common_columns(kind, column, expected):
    values, errors = convert_column(kind, column)
    assert values == expected
    assert [str(value) for value in values] == [str(value) for value in expected]
    assert errors == []


@given(
    column=st.lists(
        st.one_of(
            st.floats(min_value=0, max_value=1e12, allow_nan=False),
            st.integers(min_value=0, max_value=10**9).map(lambda cents: cents / 100),
        ),
        min_size=1,
        max_size=30,
    )
)
def test_a_column_of_excel_numbers_converts_exactly_as_its_cells_one_by_one(column):
    for kind in (cells.COUNT, cells.MONEY):
        values, errors = convert_column(kind, tuple(column))
        expected_values, expected_problems = _one_by_one(PARSERS[kind], column)
        assert [str(value) for value in values] == [str(value) for value in expected_values]
        assert [(position, error.problem) for position, error in errors] == expected_problems


@pytest.mark.parametrize(
    ("kind", "column", "problems"),
    [
        (cells.COUNT, ("1", "3000000000"), [(1, "too_large")]),
        (cells.COUNT, ("1,234", "1234,567"), [(1, "not_number")]),  # thousands separators misplaced
        (cells.MONEY, ("1,234.50", "1,2345.50"), [(1, "not_number")]),
        (cells.COUNT, (1.0, 2.5), [(1, "not_whole")]),
        (cells.MONEY, (1.5, 12.345), [(1, "money_decimals")]),
        (cells.MONEY, ("1.5", "12.345", "-"), [(1, "money_decimals")]),
        (cells.MONEY, ("1", "10000000000000"), [(1, "too_large")]),
    ],
)
def test_a_bad_cell_in_an_otherwise_plain_column_is_found(kind, column, problems):
    _values, errors = convert_column(kind, column)
    assert [(position, error.problem) for position, error in errors] == problems
