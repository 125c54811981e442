"""Cells of a 生意参谋 export → Python values. Pure functions: no database.

A cell is whatever the reader gives: text from a CSV, or from a workbook text, a float
(every Excel number), a date/datetime (a date-formatted Excel cell), a bool.

Each kind has a one-cell parser that returns the value, None for a missing value (empty,
"-", "--", "—") or raises CellError naming the problem:
- `parse_count`  — a non-negative whole number: "1,234", " 12 ", "12.0", 12.0;
- `parse_money`  — CNY, at most 2 decimals, as Decimal with 2 places: "¥1,234.50", 1234.5;
- `parse_score`  — a DSR score 0–5, at most 4 decimals, as Decimal with 4 places;
- `parse_date`   — 2026-11-01, 2026/11/1, 20261101, 2026年11月1日, "2026-11-01 00:00:00",
  Excel dates and Excel serial numbers;
- `parse_check`  — the figure of a derived column ("3.25%", 0.0325, "182.50") with its
  precision, for cross-checking;
- `parse_store`  — a store name.
A number is never changed silently: 12.5 visitors or ¥1.005 is an error, not a rounding.

`convert_column` applies one kind to a whole column. It has fast paths for the common cell
forms and caches the kinds whose values repeat (dates, scores), since an import of 100,000
rows parses a couple of million cells.
"""

import datetime
import itertools
import math
import operator
import re
import unicodedata
from collections.abc import Callable, Sequence
from decimal import Decimal

from stores import periods

COUNT = "count"
MONEY = "money"
SCORE = "score"
DATE = "date"
CHECK = "check"
STORE = "store"

MISSING = frozenset({"", "-", "--", "---", "—", "——", "–", "－", "N/A", "n/a", "NA"})
CENT = Decimal("0.01")
SCORE_PLACES = Decimal("0.0001")
MAX_COUNT = 2_147_483_647  # the database column is a 32-bit integer
MONEY_LIMIT = Decimal(10) ** 12  # the database column holds 14 digits, 2 of them decimals
FIRST_DAY = periods.FIRST_DAY  # earlier dates are not plausible (nor supported anywhere)
LAST_DAY = datetime.date(2099, 12, 31)  # later: not a date; before it, days after today are refused
EXCEL_EPOCH = datetime.date(1899, 12, 30)  # serial 1 is 1900-01-01 (after Excel's leap-year bug)


class CellError(ValueError):
    """A cell that cannot be read as its column's kind; `problem` keys messages.CELL_PROBLEMS."""

    def __init__(self, problem: str):
        super().__init__(problem)
        self.problem = problem


def cell_text(cell: object) -> str:
    """A cell as the user sees it, for messages."""
    if cell is None:
        return ""
    if isinstance(cell, float):
        return f"{cell:.15g}"
    if isinstance(cell, datetime.datetime):
        return cell.date().isoformat() if cell.time() == datetime.time() else cell.isoformat(sep=" ")
    if isinstance(cell, datetime.date):
        return cell.isoformat()
    return str(cell)


# Numbers -------------------------------------------------------------------------------

# After NFKC (full-width digits, ￥ ％ ， become ASCII): an optional sign and currency sign,
# digits with or without correct thousands separators, decimals, then % or 元.
_NUMBER = re.compile(
    r"""
    (?P<sign>[-+]?)\s*(?:¥|RMB|CNY)?\s*(?P<sign2>[-+]?)
    (?P<int>\d{1,3}(?:,\d{3})+|\d+)(?:\.(?P<frac>\d+))?
    \s*(?P<unit>%|元)?
    """,
    re.VERBOSE | re.ASCII,
)
_SCIENTIFIC = re.compile(r"[-+]?\d+(?:\.\d+)?[eE][-+]?\d+", re.ASCII)


def _float_decimal(number: float) -> Decimal:
    """An Excel number as Excel shows it: 15 significant digits, so no binary noise."""
    if not math.isfinite(number):
        raise CellError("not_number")
    if number.is_integer() and abs(number) < 1e15:
        return Decimal(int(number))
    return Decimal(f"{number:.15g}")


def parse_number(cell: object) -> tuple[Decimal, bool] | None:
    """(value, written as a percentage) of any number cell, None when missing.

    A percentage keeps the number as written: "3.25%" → (Decimal("3.25"), True).
    """
    if cell is None:
        return None
    if cell.__class__ is str:
        return _parse_number_text(cell)
    if isinstance(cell, bool) or isinstance(cell, datetime.date | datetime.time | datetime.timedelta):
        raise CellError("not_number")
    if isinstance(cell, float):
        return _float_decimal(cell), False
    if isinstance(cell, int):
        return Decimal(cell), False
    if isinstance(cell, Decimal):
        if not cell.is_finite():
            raise CellError("not_number")
        return cell, False
    return _parse_number_text(str(cell))


_GROUPED = re.compile(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?", re.ASCII)


def _is_plain(text: str) -> bool:
    """Digits with at most one decimal point: "1234", "1234.5"."""
    return text.replace(".", "", 1).isdecimal()


def _parse_number_text(text: str) -> tuple[Decimal, bool] | None:
    text = text.strip()
    # Fast paths for the common forms: "1234.5", "3.25%", "1,234.50".
    if _is_plain(text):
        return Decimal(text), False
    if text.endswith("%") and _is_plain(text[:-1]):
        return Decimal(text[:-1]), True
    if _GROUPED.fullmatch(text):
        return Decimal(text.replace(",", "")), False
    if text in MISSING:
        return None
    text = unicodedata.normalize("NFKC", text).strip()
    if text in MISSING:
        return None
    match = _NUMBER.fullmatch(text)
    if match is None:
        raise CellError("scientific" if _SCIENTIFIC.fullmatch(text) else "not_number")
    if match["sign"] and match["sign2"]:
        raise CellError("not_number")
    digits = match["int"].replace(",", "")
    if match["frac"] is not None:
        digits = f"{digits}.{match['frac']}"
    value = Decimal(digits)
    if "-" in (match["sign"], match["sign2"]) and value:
        value = -value
    return value, match["unit"] == "%"


def _plain_number(cell: object) -> Decimal | None:
    """A number that is not a percentage."""
    parsed = parse_number(cell)
    if parsed is None:
        return None
    value, percent = parsed
    if percent:
        raise CellError("percent")
    return value


def parse_count(cell: object) -> int | None:
    value = _plain_number(cell)
    if value is None:
        return None
    if value < 0:
        raise CellError("negative")
    if value != value.to_integral_value():
        raise CellError("not_whole")
    if value > MAX_COUNT:
        raise CellError("too_large")
    return int(value)


def parse_money(cell: object) -> Decimal | None:
    value = _plain_number(cell)
    if value is None:
        return None
    if value < 0:
        raise CellError("negative")
    if value >= MONEY_LIMIT:
        raise CellError("too_large")
    rounded = value.quantize(CENT)
    if rounded != value:
        raise CellError("money_decimals")
    return rounded


def parse_score(cell: object) -> Decimal | None:
    value = _plain_number(cell)
    if value is None:
        return None
    if not 0 <= value <= 5:
        raise CellError("score_range")
    rounded = value.quantize(SCORE_PLACES)
    if rounded != value:
        raise CellError("score_decimals")
    return rounded


def parse_check(cell: object) -> tuple[float, float, bool, int] | None:
    """A derived figure as (value, slack, written as a percentage, decimal places written).

    The slack is half a unit of the last decimal written (plus float noise): any exact ratio
    within it of the value rounds to what the file shows. "3.25%" → (3.25, 0.005…, True, 2).
    """
    text = repr(cell) if cell.__class__ is float else cell  # an Excel number: "0.0325", no % sign
    if text.__class__ is str:  # fast path: "182.50", "3.25%", "0.0325"
        text = text.strip()
        percent = text[-1:] == "%"
        body = text[:-1] if percent else text
        if body.replace(".", "", 1).isdecimal():
            point = body.find(".")
            places = len(body) - point - 1 if point != -1 else 0
            value = float(body)
            return (
                value,
                _HALF_UNIT[min(places, 20)] + 1e-9 * (value if value > 1.0 else 1.0),
                percent,
                places,
            )
    parsed = parse_number(cell)
    if parsed is None:
        return None
    number, percent = parsed
    exponent = number.as_tuple().exponent
    places = -exponent if isinstance(exponent, int) and exponent < 0 else 0
    value = float(number)
    return value, _slack(value, places), percent, places


_HALF_UNIT = [0.5 * 10.0**-places for places in range(21)]


def _slack(value: float, places: int) -> float:
    return 0.5 * 10.0**-places + 1e-9 * max(1.0, abs(value))


def parse_store(cell: object) -> str | None:
    if isinstance(cell, float) and cell.is_integer():
        cell = int(cell)  # a store named 1688 in a workbook
    text = " ".join(cell_text(cell).split())
    return None if text in MISSING else text


# The one-cell parser of each stored kind (the entry form reads its fields with these too).
PARSERS = {COUNT: parse_count, MONEY: parse_money, SCORE: parse_score}


# Dates ---------------------------------------------------------------------------------

_WEEKDAY = r"(?:\s*[(]?(?:周|星期)[一二三四五六日天][)]?)?"
_TIME = r"(?:[\sT]+\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?"
_TEXT_DATE = re.compile(
    rf"(\d{{4}})\s*[-/.年]\s*(\d{{1,2}})\s*[-/.月]\s*(\d{{1,2}})\s*日?{_TIME}{_WEEKDAY}", re.ASCII
)
_COMPACT_DATE = re.compile(rf"(\d{{4}})(\d{{2}})(\d{{2}}){_TIME}", re.ASCII)


def _plausible(day: datetime.date) -> datetime.date:
    if not FIRST_DAY <= day <= LAST_DAY:
        raise CellError("date_range")
    return day


def parse_date(cell: object) -> datetime.date | None:
    if cell is None:
        return None
    if isinstance(cell, datetime.datetime):
        return _plausible(cell.date())
    if isinstance(cell, datetime.date):
        return _plausible(cell)
    if isinstance(cell, bool) or isinstance(cell, datetime.time | datetime.timedelta):
        raise CellError("not_date")
    if isinstance(cell, int | float):
        return _date_from_number(cell)
    text = unicodedata.normalize("NFKC", str(cell)).strip()
    if text in MISSING:
        return None
    match = _TEXT_DATE.fullmatch(text) or _COMPACT_DATE.fullmatch(text)
    if match is None:
        raise CellError("not_date")
    try:
        day = datetime.date(int(match[1]), int(match[2]), int(match[3]))
    except ValueError:
        raise CellError("not_date") from None
    return _plausible(day)


def _date_from_number(number: float) -> datetime.date:
    """An Excel serial number (46000 → 2025-12-09) or a number written as 20261101."""
    if not math.isfinite(number) or number < 1:
        raise CellError("not_date")
    whole = int(number)
    if 19_000_101 <= number <= 29_991_231 and number == whole:
        try:
            return _plausible(datetime.date(whole // 10_000, whole // 100 % 100, whole % 100))
        except ValueError:
            raise CellError("not_date") from None
    if number >= 2_958_466:  # after 9999-12-31
        raise CellError("not_date")
    return _plausible(EXCEL_EPOCH + datetime.timedelta(days=whole))


# Columns -------------------------------------------------------------------------------

Errors = list[tuple[int, CellError]]


def convert_column(kind: str, cells: Sequence[object]) -> tuple[list, Errors]:
    """The values of one column (None where missing or wrong) and its errors by position."""
    return _CONVERTERS[kind](cells)


# Whole columns of plain numbers, one per line: "1234", "1,234", and for money "1234.5".
_COUNT_TEXT = r"(?:\d{1,3}(?:,\d{3})++|\d++)"
_MONEY_TEXT = r"(?:\d{1,3}(?:,\d{3})++|\d++)(?:\.\d{1,2})?+"
_COUNT_COLUMN = re.compile(rf"(?:{_COUNT_TEXT}\n)*+{_COUNT_TEXT}", re.ASCII)
_MONEY_COLUMN = re.compile(rf"(?:{_MONEY_TEXT}\n)*+{_MONEY_TEXT}", re.ASCII)


def _plain_lines(cells: Sequence[object], pattern: re.Pattern) -> list[str] | None:
    """The cells without thousands separators when every one is a text matching `pattern`."""
    try:
        text = "\n".join(cells)
    except TypeError:  # not all texts
        return None
    if not pattern.fullmatch(text):
        return None
    lines = (text.replace(",", "") if "," in text else text).split("\n")
    return lines if len(lines) == len(cells) else None  # a cell held a line break


def _count_column(cells: Sequence[object]) -> list | None:
    """Every cell a plain count (text or whole Excel number): converted at C speed."""
    try:
        if all(map(float.is_integer, cells)):  # TypeError unless every cell is a float
            return list(map(int, cells)) if min(cells) >= 0 and max(cells) <= MAX_COUNT else None
        return None
    except TypeError:
        pass
    lines = _plain_lines(cells, _COUNT_COLUMN)
    if lines is None:
        return None
    try:
        numbers = list(map(int, lines))
    except ValueError:  # more digits than int() takes from text
        return None
    return numbers if max(numbers) <= MAX_COUNT else None


def _money_column(cells: Sequence[object]) -> list | None:
    """Every cell plain money (text or Excel number, at most 2 decimals): converted at C speed."""
    if all(map(float.__instancecheck__, cells)):
        return _money_floats(cells)
    lines = _plain_lines(cells, _MONEY_COLUMN)
    if lines is None:
        return None
    amounts = list(map(Decimal, lines))
    if max(amounts) >= MONEY_LIMIT:
        return None
    return list(map(Decimal.quantize, amounts, itertools.repeat(CENT)))


def _money_floats(cells: Sequence[float]) -> list | None:
    """Excel numbers: each must be exactly the double of a whole number of cents."""
    if any(map(math.isnan, cells)) or min(cells) < 0.0 or max(cells) >= 1e12:
        return None
    cents = list(map(round, map(operator.mul, cells, itertools.repeat(100.0))))
    if not all(map(operator.eq, map(operator.truediv, cents, itertools.repeat(100)), cells)):
        return None  # more decimals, or binary noise (0.1 + 0.2): one by one
    return list(map(Decimal.scaleb, map(Decimal, cents), itertools.repeat(-2)))


def _with_missing(fast: Callable[[Sequence[object]], list | None], cells: Sequence[object]) -> list | None:
    """`fast` applied to the cells that are not missing ("-", empty …), None kept in place."""
    if not any(map(MISSING.__contains__, cells)):
        return fast(cells)
    present = [cell for cell in cells if cell not in MISSING]
    if not present:
        return [None] * len(cells)
    values = fast(present)
    if values is None:
        return None
    found = iter(values)
    return [None if cell in MISSING else next(found) for cell in cells]


def _one_by_one(parse: Callable[[object], object], cells: Sequence[object]) -> tuple[list, Errors]:
    values: list = []
    errors: Errors = []
    append = values.append
    for index, cell in enumerate(cells):
        try:
            append(parse(cell))
        except CellError as error:
            append(None)
            errors.append((index, error))
    return values, errors


def _convert_count(cells: Sequence[object]) -> tuple[list, Errors]:
    values = _with_missing(_count_column, cells)
    return (values, []) if values is not None else _one_by_one(parse_count, cells)


def _convert_money(cells: Sequence[object]) -> tuple[list, Errors]:
    values = _with_missing(_money_column, cells)
    return (values, []) if values is not None else _one_by_one(parse_money, cells)


def _cached(parse: Callable[[object], object]) -> Callable[[Sequence[object]], tuple[list, Errors]]:
    """A converter remembering each distinct cell it has seen, for values that repeat."""

    def convert(cells: Sequence[object]) -> tuple[list, Errors]:
        cache: dict = {}
        values: list = []
        errors: Errors = []
        append = values.append
        for index, cell in enumerate(cells):
            # Texts are their own key; a number is keyed by its type and repr, since True == 1 ==
            # 1.0 and 0.0 == -0.0 would otherwise share an entry and a result.
            key = cell if cell.__class__ is str else (cell.__class__, repr(cell))
            try:
                result = cache[key]
            except KeyError:
                try:
                    result = parse(cell)
                except CellError as error:
                    result = error
                cache[key] = result
            if result.__class__ is CellError:
                append(None)
                errors.append((index, result))
            else:
                append(result)
        return values, errors

    return convert


_CONVERTERS: dict[str, Callable[[Sequence[object]], tuple[list, Errors]]] = {
    COUNT: _convert_count,
    MONEY: _convert_money,
    SCORE: _cached(parse_score),
    DATE: _cached(parse_date),
    CHECK: _cached(parse_check),
    STORE: _cached(parse_store),
}
