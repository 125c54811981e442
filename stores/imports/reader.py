"""An uploaded file's bytes → tables of raw cells. Pure: no Django models, no database.

The format is decided by the content, never by the file name alone:
- ``PK\\x03\\x04`` — a zip: an .xlsx workbook once `check_zip` has found it safe to unpack
  (no zip bomb) and it holds ``xl/workbook.xml``; read with python-calamine, each sheet only
  once `extent.check_sheet` has found that it does not reach beyond the rows an import may
  have (calamine builds a sheet as one grid up to its last cell);
- ``\\xD0\\xCF\\x11\\xE0`` — an OLE2 file: an old .xls, a Word .doc or a password-protected
  workbook, all refused with a clear message;
- images, PDFs, archives, web pages — refused by their magic bytes;
- anything else is text: a CSV in UTF-8 (with or without BOM), GB18030 (a superset of GBK)
  or UTF-16 with a BOM, decoded strictly in that order. Comma, tab or semicolon separated:
  the separator that yields a recognisable header row wins.
A file that cannot be read raises `UnreadableFile` with the translated problem.
"""

import codecs
import csv
import io
import itertools
import zipfile
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from python_calamine import CalamineWorkbook, PasswordError, SheetTypeEnum, SheetVisibleEnum

from stores.imports import extent, headers, messages

HEAD_ROWS = 30  # the header row is looked for in this many first rows
PROBE_ROWS = HEAD_ROWS + 20  # rows read ahead to see whether a table has data rows

MAX_UNPACKED_BYTES = 200 * 1024 * 1024
MAX_RATIO = 100  # uncompressed / compressed, for a member of more than LARGE_MEMBER bytes
LARGE_MEMBER = 1024 * 1024
MAX_MEMBERS = 10_000

OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP = (b"PK\x03\x04", b"PK\x05\x06")
MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG", "png"),
    (b"\xff\xd8\xff", "jpeg"),
    (b"GIF8", "gif"),
    (b"%PDF", "pdf"),
    (b"\x1f\x8b", "gzip"),
    (b"Rar!", "rar"),
    (b"7z\xbc\xaf\x27\x1c", "7z"),
)
DELIMITERS = (",", "\t", ";")


class UnreadableFile(Exception):
    """The file cannot be read at all; `problem` is the translated reason, `sheet` the sheet
    it is about (None: the whole file)."""

    def __init__(self, problem: str, sheet: str | None = None):
        super().__init__(problem)
        self.problem = problem
        self.sheet = sheet


@dataclass
class Table:
    """The rows of one sheet (or of the CSV), each a list of cells; head[0] is row 1."""

    name: str | None
    head: list[list]  # the first PROBE_ROWS rows
    rest: Iterator[list]  # the rows after them, read on demand


@dataclass
class Workbook:
    encoding: str | None  # of a CSV; None for a workbook
    sheet_names: list[str | None]  # [None] for a CSV
    open: Callable[[str | None], Table]


def open_workbook(content: bytes, *, max_rows: int = 200_000) -> Workbook:
    """The tables of a file, whatever it is; UnreadableFile when it cannot be read. A sheet
    reaching beyond `max_rows` data rows (and the title rows above them) is not opened."""
    if not content or content.isspace():
        raise UnreadableFile(messages.empty_file())
    if content.startswith(OLE2):
        raise UnreadableFile(messages.old_office_file())
    if content.startswith(ZIP):
        return _open_xlsx(content, sheet_limits(max_rows))
    for magic, kind in MAGIC:
        if content.startswith(magic):
            raise UnreadableFile(messages.not_a_spreadsheet(kind))
    return _open_csv(content)


# Workbooks -----------------------------------------------------------------------------


def check_zip(content: bytes) -> zipfile.ZipFile:
    """The archive, once its declared sizes show it is not a zip bomb; UnreadableFile otherwise."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
        members = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError):
        raise UnreadableFile(messages.damaged_zip()) from None
    limit_mb = MAX_UNPACKED_BYTES // (1024 * 1024)
    if len({member.filename for member in members}) < len(members):  # which one would be read?
        raise UnreadableFile(messages.damaged_zip())
    if len(members) > MAX_MEMBERS or sum(member.file_size for member in members) > MAX_UNPACKED_BYTES:
        raise UnreadableFile(messages.zip_bomb(limit_mb))
    for member in members:
        ratio_too_high = member.file_size > max(member.compress_size, 1) * MAX_RATIO
        if member.file_size > LARGE_MEMBER and ratio_too_high:
            raise UnreadableFile(messages.zip_bomb(limit_mb))
        # Compression never makes data much larger: a small declared size hides the real one.
        if member.compress_size > member.file_size * 1.01 + 1024:
            raise UnreadableFile(messages.zip_bomb(limit_mb))
    return archive


def _zip_kind(names: set[str]) -> str:
    if "word/document.xml" in names:
        return "docx"
    if "ppt/presentation.xml" in names:
        return "pptx"
    return "zip"


def sheet_limits(max_rows: int) -> extent.Limits:
    """How far a sheet may reach: the data rows, and the title, header and 合计 rows around
    them; extent.MAX_COLUMNS columns; rows × extent.CELLS_PER_ROW cells in all."""
    return extent.Limits(rows=max_rows + PROBE_ROWS)


# Unpacking a member that check_zip let through can still fail: a bad CRC, a broken deflate
# stream, a compression method or encryption zipfile does not support.
_ZIP_READ_ERRORS = (zipfile.BadZipFile, zlib.error, EOFError, OSError, NotImplementedError, RuntimeError)


def _open_xlsx(content: bytes, limits: extent.Limits) -> Workbook:
    archive = check_zip(content)
    names = set(archive.namelist())
    if "xl/workbook.xml" not in names:
        if "xl/workbook.bin" in names:
            raise UnreadableFile(messages.unsupported_workbook(".xlsb"))
        if "mimetype" in names and "content.xml" in names:
            raise UnreadableFile(messages.unsupported_workbook(".ods"))
        raise UnreadableFile(messages.not_a_spreadsheet(_zip_kind(names)))
    try:
        extent.check_shared_texts(archive)  # before calamine, which reserves room for them
        parts = extent.sheet_parts(archive)
    except extent.TooManyTexts as declared:
        raise UnreadableFile(messages.too_many_texts(declared.declared)) from None
    except extent.Unreadable as unreadable:
        raise UnreadableFile(messages.unreadable_workbook(unreadable.detail)) from None
    except _ZIP_READ_ERRORS:
        raise UnreadableFile(messages.damaged_zip()) from None
    try:
        workbook = CalamineWorkbook.from_filelike(io.BytesIO(content))
        sheets = [
            sheet.name
            for sheet in workbook.sheets_metadata
            if sheet.typ == SheetTypeEnum.WorkSheet and sheet.visible == SheetVisibleEnum.Visible
        ]
    except PasswordError:
        raise UnreadableFile(messages.old_office_file()) from None
    except Exception as error:  # calamine reports a damaged workbook with many exception types
        raise UnreadableFile(messages.unreadable_workbook(str(error))) from None
    if not sheets:
        raise UnreadableFile(messages.no_worksheet())

    def open_sheet(name: str | None) -> Table:
        _check_extent(archive, parts, name, limits)
        try:
            # iter_rows starts at row 1 even when the sheet's first rows are empty.
            rows = iter(workbook.get_sheet_by_name(name).iter_rows())
        except Exception as error:  # as above: any failure of calamine means a damaged sheet
            raise UnreadableFile(messages.unreadable_workbook(str(error))) from None
        return Table(name=name, head=list(itertools.islice(rows, PROBE_ROWS)), rest=rows)

    return Workbook(encoding=None, sheet_names=list(sheets), open=open_sheet)


def _check_extent(archive: zipfile.ZipFile, parts: dict[str, str], name: str, limits: extent.Limits) -> None:
    """UnreadableFile naming the sheet when it reaches too far; every member that may be a
    sheet is checked when the workbook does not say which one is this sheet's."""
    members = (
        [parts[name]] if parts.get(name) in archive.NameToInfo else extent.members_that_may_be_sheets(archive)
    )
    try:
        for member in members:
            extent.check_sheet(archive, member, limits)
    except extent.TooFar as far:
        problem = messages.sheet_too_large(far.cell, limits.rows, limits.columns, limits.cell_budget)
        raise UnreadableFile(problem, sheet=name) from None
    except extent.Unreadable as unreadable:
        raise UnreadableFile(messages.unreadable_workbook(unreadable.detail), sheet=name) from None
    except _ZIP_READ_ERRORS:
        raise UnreadableFile(messages.damaged_zip(), sheet=name) from None


# Text ----------------------------------------------------------------------------------


def decode(content: bytes) -> tuple[str, str]:
    """(text, encoding): strict UTF-8, then strict GB18030; never a silent wrong guess."""
    if content.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return content.decode("utf-16"), "utf-16"
        except UnicodeDecodeError:
            raise UnreadableFile(messages.unknown_encoding()) from None
    if b"\x00" in content:
        raise UnreadableFile(messages.not_text())
    try:
        return content.decode("utf-8-sig"), "utf-8-sig" if content.startswith(codecs.BOM_UTF8) else "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return content.decode("gb18030"), "gb18030"
    except UnicodeDecodeError:
        raise UnreadableFile(messages.unknown_encoding()) from None


def _looks_like_markup(text: str) -> bool:
    start = text[:2048].lstrip().lower()
    return start.startswith("<") and any(tag in start for tag in ("<html", "<table", "<!doctype", "<?xml"))


def _rows(text: str, delimiter: str) -> Iterator[list[str]]:
    """The CSV records of the text; a broken record raises UnreadableFile naming its line."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        yield from reader
    except csv.Error as error:
        raise UnreadableFile(messages.unreadable_csv(reader.line_num, str(error))) from None


def _pick_delimiter(text: str) -> str:
    """The separator under which a header row is found (most recognised columns wins)."""
    best, best_score = None, 0
    for delimiter in DELIMITERS:
        head = list(itertools.islice(_rows(text, delimiter), HEAD_ROWS))
        score = headers.find_header(head, HEAD_ROWS).recognised
        if score > best_score:
            best, best_score = delimiter, score
    if best is not None:
        return best
    sample = text[:8192]
    return max(DELIMITERS, key=sample.count)


def _open_csv(content: bytes) -> Workbook:
    text, encoding = decode(content)
    if not text or text.isspace():
        raise UnreadableFile(messages.empty_file())
    if _looks_like_markup(text):
        raise UnreadableFile(messages.web_page())
    delimiter = _pick_delimiter(text)

    def open_text(_name: str | None) -> Table:
        rows = _rows(text, delimiter)
        return Table(name=None, head=list(itertools.islice(rows, PROBE_ROWS)), rest=rows)

    return Workbook(encoding=encoding, sheet_names=[None], open=open_text)
