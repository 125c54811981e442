"""A months file → rows of (store, month, target). Pure: no database.

The file is an .xlsx laid out as the 月 sheet of the plan export (kpi.exports): a header row with 期间
(the month, 2027-05) and 目标 (its target), and 店铺代码 (the store's slug) or 店铺 (its name); other
columns are ignored. It is read with the daily import's reader (stores.imports.reader: a zip bomb, a
sheet reaching too far, a damaged or disguised file are refused before anything is unpacked); a
CSV is refused. The sheet read is 月 when there is one, else the first sheet with such a header
(the export's 周 and 日 sheets are never read). Every problem is reported at once, each naming the
file, the sheet, the row as Excel numbers it and the column as written.
"""

import datetime as dt
import itertools
import re
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal

from kpi.imports import messages
from stores import periods
from stores.exports import formula_neutralising_undone
from stores.imports import cells, reader
from stores.imports import messages as import_messages
from stores.imports.parse import MAX_ISSUES, TOTAL_WORDS
from stores.periods import Period, PeriodKind

CODE, NAME, PERIOD, TARGET = "store_code", "store", "period", "target"
HEADERS = {
    "店铺代码": CODE,
    "店铺编码": CODE,
    "store code": CODE,
    "slug": CODE,
    "店铺": NAME,
    "店铺名称": NAME,
    "store": NAME,
    "期间": PERIOD,
    "月份": PERIOD,
    "month": PERIOD,
    "period": PERIOD,
    "目标": TARGET,
    "目标金额": TARGET,
    "target": TARGET,
}
MONTHS_SHEET = "月"
OTHER_EXPORT_SHEETS = frozenset({"周", "日"})
MAX_ROWS = 20_000  # data rows; a store's year is 12
_MONTH = re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*月?", re.ASCII)


@dataclass(frozen=True)
class MonthRow:
    row: int  # as Excel numbers it
    store_code: str | None
    store_name: str | None
    month: Period
    amount: Decimal

    @property
    def store(self) -> str:
        """The store as the file names it."""
        return self.store_code or self.store_name or ""


class Issues:
    """The errors of one file, each placed at its file, sheet, row and column; listed by row and
    column, the first MAX_ISSUES in full and the rest counted."""

    def __init__(self, file_name: str):
        self.file_name = file_name
        self.sheet: str | None = None
        self.order: dict[str, int] = {}  # column header → its position, to list a row's errors in order
        self.items: list[tuple[int, int, str]] = []

    def add(self, problem: str, *, row: int | None = None, column: str | None = None) -> None:
        if row is not None and column is not None and self.sheet is not None:
            message = messages.at_cell(self.file_name, self.sheet, row, column, problem)
        elif self.sheet is not None:
            message = import_messages.at_sheet(self.file_name, self.sheet, problem)
        else:
            message = import_messages.at_file(self.file_name, problem)
        self.items.append((row or 0, self.order.get(column, -1), message))

    def add_located(self, message: str) -> None:
        """A message that names the file itself."""
        self.items.append((0, -1, message))

    def __bool__(self) -> bool:
        return bool(self.items)

    def messages(self) -> list[str]:
        listed = [message for _row, _column, message in sorted(self.items, key=lambda item: item[:2])]
        if len(listed) > MAX_ISSUES:
            more = import_messages.more_errors(len(listed) - MAX_ISSUES)
            return [*listed[:MAX_ISSUES], import_messages.at_file(self.file_name, more)]
        return listed


@dataclass
class MonthsFile:
    file_name: str
    issues: Issues
    sheet: str | None = None
    headers: dict[str, str] = field(default_factory=dict)  # CODE / NAME / PERIOD / TARGET → as written
    rows: list[MonthRow] = field(default_factory=list)  # the rows without errors

    def header(self, key: str) -> str:
        return self.headers.get(key, key)

    @property
    def store_header(self) -> str:
        return self.headers.get(CODE) or self.headers[NAME]


def parse_month(cell: object) -> Period | None:
    """A month cell: "2027-05", "2027/5", "2027年5月", or a date on the 1st (Excel turns a typed 2027-05
    into 1 May 2027); None when missing; ValueError otherwise."""
    if cell is None:
        return None
    if isinstance(cell, dt.datetime):
        cell = cell.date()
    if isinstance(cell, dt.date):
        if cell.day != 1 or not periods.is_supported(cell):
            raise ValueError(cell)
        return periods.period_containing(PeriodKind.MONTH, cell)
    if not isinstance(cell, str):
        raise ValueError(cell)
    text = unicodedata.normalize("NFKC", cell).strip()
    if text in cells.MISSING:
        return None
    match = _MONTH.fullmatch(text)
    if match is None or not 1 <= int(match[2]) <= 12:
        raise ValueError(cell)
    first = dt.date(int(match[1]), int(match[2]), 1)
    if not periods.is_supported(first):
        raise ValueError(cell)
    return periods.period_containing(PeriodKind.MONTH, first)


def _header_key(cell: object) -> str | None:
    if not isinstance(cell, str):
        return None
    return HEADERS.get(" ".join(unicodedata.normalize("NFKC", cell).split()).casefold())


def _find_header(head: list[list]) -> tuple[int, dict[str, list[tuple[int, str]]]] | None:
    """The header row's index and each key's columns (index, header as written)."""
    for index, row in enumerate(head[: reader.HEAD_ROWS]):
        found: dict[str, list[tuple[int, str]]] = {}
        for column, cell in enumerate(row):
            key = _header_key(cell)
            if key:
                found.setdefault(key, []).append((column, " ".join(str(cell).split())))
        if PERIOD in found and TARGET in found and (CODE in found or NAME in found):
            return index, found
    return None


def _sheets_in_order(names: list[str | None]) -> list[str | None]:
    first = [name for name in names if name == MONTHS_SHEET]
    return first + [name for name in names if name != MONTHS_SHEET and name not in OTHER_EXPORT_SHEETS]


def _blank(cell: object) -> bool:
    return cell is None or (isinstance(cell, str) and cell.strip() in cells.MISSING)


def _store_text(cell: object) -> str | None:
    text = cells.parse_store(cell)
    return formula_neutralising_undone(text) if text else None


def parse_months_file(*, content: bytes, file_name: str) -> MonthsFile:
    """Read and check the whole file. Never raises for bad input: problems are its issues."""
    parsed = MonthsFile(file_name=file_name, issues=Issues(file_name))
    issues = parsed.issues
    try:
        workbook = reader.open_workbook(content, max_rows=MAX_ROWS)
        if workbook.encoding is not None:
            issues.add(messages.not_xlsx())
            return parsed
        for name in _sheets_in_order(workbook.sheet_names):
            table = workbook.open(name)
            header = _find_header(table.head)
            if header is not None:
                _rows_read(parsed, table, *header)
                return parsed
    except reader.UnreadableFile as unreadable:
        issues.sheet = unreadable.sheet
        issues.add(unreadable.problem)
        return parsed
    issues.add(messages.no_header(reader.HEAD_ROWS))
    return parsed


def _rows_read(parsed: MonthsFile, table: reader.Table, header_index: int, found: dict) -> None:
    issues = parsed.issues
    issues.sheet = parsed.sheet = str(table.name)
    duplicates = [columns for columns in found.values() if len(columns) > 1]
    for columns in duplicates:
        names = [text for _index, text in columns]
        issues.add(import_messages.duplicate_columns(names, names[0]))
    if duplicates:
        return
    parsed.headers = {key: columns[0][1] for key, columns in found.items()}
    issues.order = {columns[0][1]: columns[0][0] for columns in found.values()}
    index = {key: columns[0][0] for key, columns in found.items()}

    def cell(row: list, key: str) -> object:
        position = index.get(key)
        return row[position] if position is not None and position < len(row) else None

    data_rows = 0
    numbered = enumerate(itertools.chain(table.head[header_index + 1 :], table.rest), start=header_index + 2)
    for number, row in numbered:
        period_cell, target_cell = cell(row, PERIOD), cell(row, TARGET)
        if _blank(period_cell) and _blank(target_cell):
            continue  # a blank row, or a note beside the table
        if isinstance(period_cell, str) and period_cell.strip().casefold() in TOTAL_WORDS:
            continue
        data_rows += 1
        month_row = _row_read(parsed, number, cell(row, CODE), cell(row, NAME), period_cell, target_cell)
        if month_row is not None:
            parsed.rows.append(month_row)
    if not data_rows:
        issues.add(import_messages.no_data_rows(header_index + 1))


def _row_read(parsed: MonthsFile, number: int, code_cell, name_cell, period_cell, target_cell):
    issues, failed = parsed.issues, False
    code, name = _store_text(code_cell), _store_text(name_cell)
    if code is None and name is None:
        issues.add(import_messages.cell_problem("store_missing", ""), row=number, column=parsed.store_header)
        failed = True
    try:
        month = parse_month(period_cell)
    except ValueError:
        shown = import_messages.shown(cells.cell_text(period_cell))
        issues.add(messages.not_month(shown), row=number, column=parsed.header(PERIOD))
        month, failed = None, True
    else:
        if month is None:
            issues.add(messages.month_missing(), row=number, column=parsed.header(PERIOD))
            failed = True
    try:
        amount = cells.parse_money(target_cell)
    except cells.CellError as error:
        problem = import_messages.cell_problem(error.problem, cells.cell_text(target_cell))
        issues.add(problem, row=number, column=parsed.header(TARGET))
        amount, failed = None, True
    else:
        if amount is None:
            issues.add(messages.target_missing(), row=number, column=parsed.header(TARGET))
            failed = True
    if failed:
        return None
    return MonthRow(row=number, store_code=code, store_name=name, month=month, amount=amount)
