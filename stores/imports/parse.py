"""A 生意参谋 store daily export (店铺整体 / 取数, .xlsx or .csv) → validated rows. No database.

`parse_metrics_file` reads the whole file and reports every problem at once, each naming
the file, the row as seen in Excel and the column:
- the sheet: the first one with the store's own daily rows; peer-group sheets (同行同层平均 …)
  are never used;
- the header row: found below title and date-range rows (headers.find_header);
- rows: 合计 / 平均 rows and blank rows skipped; every cell checked (cells.py);
- ad spend: channel columns summed into ``ad_spend``, the split kept;
- derived columns (支付转化率, 客单价 …): not stored, cross-checked against the row (warnings);
- the same store and day twice, too many rows, duplicate columns: errors.
Errors block the import (nothing may be saved); warnings are shown and do not block.
Rows are converted column by column, a chunk at a time, with fast paths for whole columns of
plain numbers: tens of thousands of rows per second, and memory bounded by the chunk size
besides the result itself.
"""

import contextlib
import datetime
import gc
import itertools
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from functools import partial

from stores import metrics
from stores.imports import cells, headers, messages, reader
from stores.metrics import DerivedMetric, Kind

MAX_ISSUES = 200  # errors (and warnings) listed; the rest are counted in a last message
CHUNK_ROWS = 5_000  # rows converted at a time: bounds the memory held by raw cells

TOTAL_WORDS = frozenset({"合计", "总计", "汇总", "平均", "平均值", "均值", "小计", "total", "sum", "average"})
PEER_SHEET_WORDS = ("同行", "同层", "平均", "优秀", "行业")
# Title rows may name the store's industry (所属行业：女装), so 行业 alone does not mark a peer table.
PEER_TITLE_WORDS = ("同行", "同层", "平均", "优秀")
PEER_ROW_WORDS = ("同行", "同层")

# The cell kind of each kind of recorded metric.
CELL_KIND = {Kind.COUNT: cells.COUNT, Kind.MONEY: cells.MONEY, Kind.SCORE: cells.SCORE}


@dataclass(frozen=True)
class ImportIssue:
    message: str  # translated; names the file, and the row and column where there is one
    row: int | None = None  # as the user sees it in Excel / a text editor (1-based, title rows counted)
    column: str | None = None  # the column header exactly as in the file
    file_name: str = ""


@dataclass(slots=True)
class ParsedRow:
    row: int  # as the user sees it
    date: datetime.date
    store_name: str | None  # the 店铺名称 cell if the file has a store column, else None
    # Canonical recorded code → value, only for metrics with a column in the file ("-" → None).
    values: dict[str, int | Decimal | None]
    # Channel code → amount, for the channel columns of the file; empty when it has none.
    ad_spend_split: dict[str, Decimal | None]


@dataclass
class ParsedFile:
    file_name: str
    sheet: str | None  # the sheet used (xlsx) or None (csv)
    encoding: str | None  # csv: 'utf-8', 'utf-8-sig', 'gb18030', 'utf-16'; xlsx: None
    header_row: int  # as the user sees it; 0 when no header row was found
    # File header → 'date', 'store', a recorded code, 'ad_spend:<channel>' or 'check:<derived code>'.
    columns: dict[str, str]
    ignored_columns: list[str]  # headers not understood
    rows: list[ParsedRow]  # the rows without errors
    errors: list[ImportIssue]  # hard errors: if any, nothing may be saved
    warnings: list[ImportIssue]  # soft: shown, do not block
    data_rows: int = 0  # the dated rows below the header (no blank, 合计 or peer-group rows), errors or not

    @property
    def ok(self) -> bool:
        return not self.errors


def parse_metrics_file(
    *, content: bytes, file_name: str, max_rows: int = 200_000, last_day: datetime.date | None = None
) -> ParsedFile:
    """Read and check a whole export. Never raises for bad input: problems become errors.
    A row dated after `last_day` (the import passes periods.last_recordable_day(), today) is
    an error of its date cell."""
    parser = _FileParser(content, file_name, max_rows, last_day)
    with gc_paused():
        parser.run()
    return parser.result


@contextlib.contextmanager
def gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector: parsing (and then importing) allocates millions of
    objects that all stay alive, and each collection would walk them again for nothing."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


class _Issues:
    """Errors or warnings of one file: the first MAX_ISSUES in full, then a count."""

    def __init__(self, file_name: str, more: Callable[[int], str]):
        self.file_name = file_name
        self.more = more
        self.items: list[ImportIssue] = []
        self.hidden = 0

    def add(
        self,
        problem: str | Callable[[], str],
        *,
        row: int | None = None,
        column: str | None = None,
        sheet: str | None = None,
    ) -> None:
        if len(self.items) >= MAX_ISSUES:
            self.hidden += 1
            return
        text = problem() if callable(problem) else problem
        if row is not None and column is not None:
            message = messages.at_cell(self.file_name, row, column, text)
        elif row is not None:
            message = messages.at_row(self.file_name, row, text)
        elif sheet is not None:
            message = messages.at_sheet(self.file_name, sheet, text)
        else:
            message = messages.at_file(self.file_name, text)
        self.items.append(ImportIssue(message=message, row=row, column=column, file_name=self.file_name))

    def __bool__(self) -> bool:
        return bool(self.items)

    def finish(self) -> list[ImportIssue]:
        if self.hidden:
            message = messages.at_file(self.file_name, self.more(self.hidden))
            return [*self.items, ImportIssue(message=message, file_name=self.file_name)]
        return list(self.items)


class _TooManyRows(Exception):
    pass


# Rows ----------------------------------------------------------------------------------


def _is_blank_cell(cell: object) -> bool:
    return cell is None or (cell.__class__ is str and (not cell or cell.isspace()))


def _is_blank(row: list) -> bool:
    return all(_is_blank_cell(cell) for cell in row)


def _is_total(cell: object) -> bool:
    if cell.__class__ is not str or not cell or cell[0].isdigit():  # not text, or a date or number
        return False
    return cell in TOTAL_WORDS or cell.strip().rstrip(":：").casefold() in TOTAL_WORDS


def _mentions(cell: object, words: Iterable[str]) -> bool:
    return cell.__class__ is str and any(word in cell for word in words)


def _is_data_row(row: list, date_index: int) -> bool:
    return (
        not _is_blank(row)
        and not _is_total(row[0])
        and not (date_index < len(row) and _is_total(row[date_index]))
    )


def _chunks(rows: Iterator, size: int) -> Iterator[list]:
    while chunk := list(itertools.islice(rows, size)):
        yield chunk


@dataclass
class _Layout:
    """Which column of the chosen table holds what."""

    date: int
    store: int | None = None
    metrics: list[tuple[int, str, str]] = field(default_factory=list)  # (index, header, code)
    channels: list[tuple[int, str, str]] = field(default_factory=list)  # (index, header, channel)
    checks: list[tuple[int, str, DerivedMetric]] = field(default_factory=list)
    texts: dict[int, str] = field(default_factory=dict)  # index → header as in the file

    @classmethod
    def of(cls, header: headers.HeaderRow) -> "_Layout":
        layout = cls(date=header.index_of(headers.DATE))
        for index, text, target in header.columns:
            layout.texts[index] = text
            if target == headers.STORE:
                layout.store = index
            elif target.startswith(headers.AD_SPEND_PREFIX):
                layout.channels.append((index, text, target.removeprefix(headers.AD_SPEND_PREFIX)))
            elif target.startswith(headers.CHECK_PREFIX):
                code = target.removeprefix(headers.CHECK_PREFIX)
                layout.checks.append((index, text, metrics.BY_CODE[code]))
            elif target != headers.DATE:
                layout.metrics.append((index, text, target))
        stored = {code for _index, _text, code in layout.metrics}
        if layout.channels:
            stored.add("ad_spend")
        # Only derived columns whose two parts are in the file can be checked.
        layout.checks = [
            check for check in layout.checks if {check[2].numerator, check[2].denominator} <= stored
        ]
        return layout

    @property
    def width(self) -> int:
        return max(self.texts) + 1

    def total_ad_spend(self) -> int | None:
        return next((index for index, _text, code in self.metrics if code == "ad_spend"), None)


class _FileParser:
    def __init__(self, content: bytes, file_name: str, max_rows: int, last_day: datetime.date | None):
        self.content = content
        self.file_name = file_name
        self.max_rows = max_rows
        self.last_day = last_day
        self.result = ParsedFile(
            file_name=file_name,
            sheet=None,
            encoding=None,
            header_row=0,
            columns={},
            ignored_columns=[],
            rows=[],
            errors=[],
            warnings=[],
        )
        self.errors = _Issues(file_name, messages.more_errors)
        self.warnings = _Issues(file_name, messages.more_warnings)
        self.seen: dict[tuple[str | None, datetime.date], int] = {}  # (store, day) → first row
        self.store_kinds: dict[object, str] = {}  # store cell → _STORE, _TOTAL or _PEER
        self.peer_rows = 0
        self.data_rows = 0

    def run(self) -> None:
        try:
            workbook = reader.open_workbook(self.content, max_rows=self.max_rows)
            self.result.encoding = workbook.encoding
            chosen = self._choose_table(workbook)
            if chosen is not None:
                self._parse_table(*chosen)
        except reader.UnreadableFile as unreadable:
            self.errors.add(unreadable.problem, sheet=unreadable.sheet)
        except _TooManyRows:
            self.result.rows, self.data_rows = [], 0
            self.errors = _Issues(self.file_name, messages.more_errors)
            self.warnings = _Issues(self.file_name, messages.more_warnings)
            self.errors.add(messages.too_many_rows(self.max_rows))
        self.result.errors = self.errors.finish()
        self.result.warnings = self.warnings.finish()
        self.result.data_rows = len(self.result.rows) if self.result.ok else self.data_rows

    # The table ---------------------------------------------------------------------------

    def _choose_table(self, workbook: reader.Workbook) -> tuple[reader.Table, headers.HeaderSearch] | None:
        """The first table with a header and data rows, that is not a peer-group table. Only
        that one is kept open: each sheet of a workbook is a grid in memory while it is."""
        chosen: tuple[reader.Table, headers.HeaderSearch] | None = None
        candidates: list[str] = []  # the name of every table that would do
        header_only: tuple[str | None, str] | None = None  # (sheet, problem)
        partial_header: tuple[str | None, str] | None = None
        no_header: tuple[str | None, str] | None = None
        peer = 0
        for name in workbook.sheet_names:
            if name is not None and _mentions(name, PEER_SHEET_WORDS):
                peer += 1
                continue
            table = workbook.open(name)
            search = headers.find_header(table.head, reader.HEAD_ROWS)
            if search.index is None:
                if all(_is_blank(row) for row in table.head):
                    continue  # an empty sheet
                if search.metric_row_without_date is not None and partial_header is None:
                    partial_header = (name, messages.no_date_column(search.metric_row_without_date + 1))
                elif search.date_row_without_metric is not None and partial_header is None:
                    partial_header = (name, messages.no_metric_column(search.date_row_without_metric + 1))
                elif no_header is None:
                    no_header = (name, messages.no_header(reader.HEAD_ROWS))
                continue
            titles = table.head[: search.index]
            if any(_mentions(cell, PEER_TITLE_WORDS) for row in titles for cell in row):
                peer += 1
                continue
            if not self._has_data_rows(table, search):
                header_only = header_only or (name, messages.no_data_rows(search.index + 1))
                continue
            candidates.append(str(table.name))
            chosen = chosen or (table, search)
            del table, search
        if chosen is not None:
            if len(candidates) > 1:
                self.warnings.add(messages.several_sheets(candidates, candidates[0]))
            return chosen
        if header_only or partial_header:
            name, problem = header_only or partial_header
            self.errors.add(problem, sheet=name)
        elif peer:
            self.errors.add(messages.only_peer_groups())
        elif no_header:
            name, problem = no_header
            self.errors.add(problem, sheet=name)
        else:
            self.errors.add(messages.empty_file())
        return None

    @staticmethod
    def _has_data_rows(table: reader.Table, search: headers.HeaderSearch) -> bool:
        """Whether a data row follows the header; rows read ahead stay in table.head."""
        date_index = search.header.index_of(headers.DATE)
        if any(_is_data_row(row, date_index) for row in table.head[search.index + 1 :]):
            return True
        for row in table.rest:
            table.head.append(row)
            if _is_data_row(row, date_index):
                return True
        return False

    def _parse_table(self, table: reader.Table, search: headers.HeaderSearch) -> None:
        header = search.header
        self.result.sheet = table.name
        self.result.header_row = search.index + 1
        self.result.columns = {text: target for _index, text, target in header.columns}
        self.result.ignored_columns = list(header.ignored)
        duplicates = header.duplicates()
        if duplicates:
            for target, group in duplicates:
                self.errors.add(messages.duplicate_columns(group, target), sheet=table.name)
            return
        layout = _Layout.of(header)
        rows = enumerate(itertools.chain(table.head[search.index + 1 :], table.rest), start=search.index + 2)
        for chunk in _chunks(rows, CHUNK_ROWS):
            kept, undated = self._keep(chunk, layout)
            self.data_rows += len(kept)
            if self.data_rows > self.max_rows:
                raise _TooManyRows
            self._convert(kept, undated, layout)
        if self.peer_rows:
            self.warnings.add(messages.peer_rows_skipped(self.peer_rows))
        if not self.data_rows and not self.errors:
            self.errors.add(messages.no_data_rows(self.result.header_row), sheet=table.name)

    # Rows ----------------------------------------------------------------------------------

    def _keep(self, chunk: list[tuple[int, list]], layout: _Layout) -> tuple[list, list[int]]:
        """The data rows of a chunk (no blank rows, no 合计 rows, no peer-group rows), and the
        numbers of the rows with figures but no date."""
        width, date_index, store_index = layout.width, layout.date, layout.store
        store_kinds = self.store_kinds
        kept: list[tuple[int, list]] = []
        undated: list[int] = []
        for number, row in chunk:
            if len(row) < width:
                if not row:
                    continue
                row = row + [""] * (width - len(row))
            date_cell = row[date_index]
            if _is_blank_cell(date_cell):
                total = _is_total(row[0]) or (store_index is not None and _is_total(row[store_index]))
                if not total and not _is_blank(row):
                    undated.append(number)
                continue
            if _is_total(date_cell) or (date_index and _is_total(row[0])):
                continue
            if store_index is not None:
                store_cell = row[store_index]
                kind = store_kinds.get(store_cell)
                if kind is None:
                    kind = store_kinds[store_cell] = _store_kind(store_cell)
                if kind is not _STORE:
                    self.peer_rows += kind is _PEER
                    continue
            kept.append((number, row))
        return kept, undated

    def _convert(self, kept: list[tuple[int, list]], undated: list[int], layout: _Layout) -> None:
        """Convert a chunk column by column, check it, then assemble its rows."""
        chunk = _Chunk(kept, layout)
        chunk.errors += [(number, -1, messages.date_missing, None) for number in undated]
        if kept:
            self._convert_rows(chunk, layout)
        for problem in sorted(chunk.errors, key=_position):
            self.errors.add(problem[2], row=problem[0], column=problem[3])
        for problem in sorted(chunk.warnings, key=_position):
            self.warnings.add(problem[2], row=problem[0], column=problem[3])

    def _convert_rows(self, chunk: "_Chunk", layout: _Layout) -> None:
        dates = chunk.convert(cells.DATE, layout.date)
        last_day = self.last_day
        for position, day in enumerate(dates):
            if day is None:
                if position not in chunk.failed:  # a date cell of "-"
                    chunk.fail(position, messages.date_missing)
            elif last_day is not None and day > last_day:  # a day that has not happened yet
                text = chunk.text(position, layout.date)
                chunk.fail(position, partial(messages.future_date, text, last_day.isoformat()), layout.date)
        if layout.store is None:
            stores = [None] * len(dates)
        else:
            stores = chunk.convert(cells.STORE, layout.store)
            for position, store in enumerate(stores):
                if store is None and position not in chunk.failed:
                    chunk.fail(position, partial(messages.cell_problem, "store_missing", ""), layout.store)
        by_code = {
            code: chunk.convert(CELL_KIND[metrics.BY_CODE[code].kind], index)
            for index, _text, code in layout.metrics
        }
        channel_columns = [chunk.convert(cells.MONEY, index) for index, _text, _channel in layout.channels]
        if channel_columns:
            chunk.resolve_ad_spend(by_code, channel_columns)
        for index, text, metric in layout.checks:
            chunk.cross_check(index, text, metric, by_code)
        self._assemble(chunk, dates, stores, by_code, layout, channel_columns)

    def _assemble(
        self,
        chunk: "_Chunk",
        dates: list,
        stores: list,
        by_code: dict[str, list],
        layout: _Layout,
        channel_columns: list[list],
    ) -> None:
        """The ParsedRows of a chunk (built with map(), at C speed), and its duplicate days."""
        keys = list(zip(stores, dates, strict=True))
        seen = self.seen
        if not chunk.failed and len(set(keys)) == len(keys) and seen.keys().isdisjoint(keys):
            seen.update(zip(keys, chunk.numbers, strict=True))
        else:
            for position, (key, number) in enumerate(zip(keys, chunk.numbers, strict=True)):
                if key[1] is None or (layout.store is not None and key[0] is None):
                    continue  # no date or no store: already an error
                first = seen.setdefault(key, number)
                if first != number:
                    duplicate = partial(messages.duplicate_day, first, number, key[1].isoformat(), key[0])
                    chunk.fail(position, duplicate)
        size = len(keys)
        codes = list(by_code)
        channel_codes = [channel for _index, _text, channel in layout.channels]
        value_rows = zip(*by_code.values(), strict=True)
        values = list(map(dict, map(zip, itertools.repeat(codes), value_rows))) if codes else None
        split_rows = zip(*channel_columns, strict=True)
        splits = list(map(dict, map(zip, itertools.repeat(channel_codes), split_rows)))
        rows = map(
            ParsedRow,
            chunk.numbers,
            dates,
            stores,
            values or [{} for _ in range(size)],
            splits or [{} for _ in range(size)],
        )
        if chunk.failed:
            rows = itertools.compress(rows, [position not in chunk.failed for position in range(size)])
        self.result.rows.extend(rows)


_STORE, _TOTAL, _PEER = "store", "total", "peer"


def _store_kind(cell: object) -> str:
    if _is_total(cell):
        return _TOTAL
    return _PEER if _mentions(cell, PEER_ROW_WORDS) else _STORE


# (row, column index, problem, column header): sorted by row, then by column.
_Pending = tuple[int, int, Callable[[], str], str | None]


def _position(pending: _Pending) -> tuple[int, int]:
    return pending[0], pending[1]


class _Chunk:
    """Up to CHUNK_ROWS data rows, converted column by column.

    `failed` holds the positions of rows with an error; errors and warnings wait in
    `errors` / `warnings` until the chunk is done, to be reported in row order.
    """

    def __init__(self, kept: list[tuple[int, list]], layout: _Layout):
        self.layout = layout
        self.numbers = [number for number, _row in kept]
        # Column index → the chunk's cells (every row is at least layout.width long).
        self.columns = list(zip(*[row for _number, row in kept], strict=False))
        self.failed: set[int] = set()
        self.errors: list[_Pending] = []
        self.warnings: list[_Pending] = []

    def fail(self, position: int, problem: Callable[[], str], index: int = -1) -> None:
        self.failed.add(position)
        column = self.layout.texts[index] if index >= 0 else None
        self.errors.append((self.numbers[position], index, problem, column))

    def warn(self, position: int, problem: Callable[[], str], index: int) -> None:
        self.warnings.append((self.numbers[position], index, problem, self.layout.texts[index]))

    def text(self, position: int, index: int) -> str:
        return cells.cell_text(self.columns[index][position])

    def convert(self, kind: str, index: int) -> list:
        values, errors = cells.convert_column(kind, self.columns[index])
        for position, error in errors:
            self.fail(
                position, partial(messages.cell_problem, error.problem, self.text(position, index)), index
            )
        return values

    def resolve_ad_spend(self, by_code: dict[str, list], channel_columns: list[list]) -> None:
        """ad_spend is the sum of the channels (None when all are missing), unless the file
        also has a total column: then the total wins, and a different sum is a warning."""
        sums: list = [None] * len(self.numbers)
        for column in channel_columns:
            for position, amount in enumerate(column):
                if amount is not None:
                    current = sums[position]
                    sums[position] = amount if current is None else current + amount
        totals = by_code.get("ad_spend")
        if totals is None:
            by_code["ad_spend"] = sums
            return
        index = self.layout.total_ad_spend()
        for position, (total, channel_sum) in enumerate(zip(totals, sums, strict=True)):
            if total is None:
                totals[position] = channel_sum
            elif channel_sum is not None and total != channel_sum and position not in self.failed:
                shown = metrics.display("ad_spend", total), metrics.display("ad_spend", channel_sum)
                self.warn(position, partial(messages.ad_spend_total_differs, *shown), index)

    def cross_check(self, index: int, header: str, metric: DerivedMetric, by_code: dict[str, list]) -> None:
        """Warn where a derived figure of the file is not what the row's own parts give: the
        exact ratio must round to the figure at the precision the file wrote it with."""
        figures, errors = cells.convert_column(cells.CHECK, self.columns[index])
        for position, _error in errors:
            self.warn(position, partial(messages.check_unreadable, self.text(position, index)), index)
        tops, bottoms = by_code[metric.numerator], by_code[metric.denominator]
        percent_kind = metric.kind is Kind.PERCENT
        for position, figure, top, bottom in zip(itertools.count(), figures, tops, bottoms):
            if figure is None or top is None or not bottom:
                continue
            exact = float(top) / float(bottom)
            value, slack, percent, places = figure
            if percent:
                if abs(exact * 100.0 - value) <= slack:
                    continue
            # A percentage without %: 0.0325, or 3.25 under a header such as 支付转化率(%).
            elif abs(exact - value) <= slack or (percent_kind and abs(exact * 100.0 - value) <= slack):
                continue
            if position not in self.failed:
                scale = 100.0 if percent or (percent_kind and value > 1.0) else 1.0
                expected = f"{exact * scale:.{places}f}{'%' if percent else ''}"
                self.warn(
                    position, partial(messages.check_differs, self.text(position, index), expected), index
                )
