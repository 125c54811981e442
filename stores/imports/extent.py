"""How far the sheets of an .xlsx reach, found before python-calamine unpacks any of them.

calamine (0.9) builds a sheet as one dense grid from its first to its last cell, 32 bytes a
cell, whatever lies between: a 2 KB file with one cell at XFD1048576 asks for 500 GB (the
process aborts), one at ZZ100000 for 2.2 GB. It also reserves room for as many shared texts
as the workbook declares (`<sst uniqueCount>`: 4,000,000,000 aborts it). The `<dimension>` of
a sheet plays no part in either and may be missing or lie.

So the sheet's XML is streamed from the zip (never held whole, never unpacked to a grid) and
every cell is placed as calamine places it: a `<c>` at its `r` ("B7"), or, without one, in the
column after the previous cell of its row, whose number is the `r` of its `<row>` or the one
after the previous row. The sheet "reaches" the cell of its last row and last column, counted
from A1; `check_sheet` refuses a sheet that reaches beyond `Limits` with `TooFar`, and
`check_shared_texts` a declared count no file of that size can hold with `TooManyTexts`.

Two readings, one answer:
- the fast one (every file Excel, WPS, openpyxl or a 生意参谋 export writes): when every cell
  tag is `<c r="…"`, a few byte-level searches (C speed, about 0.1 s for 100,000 rows) find
  each cell whose reference lies outside a box known to be within the limits (the sheet's own
  `<dimension>` when it is within them, else the limits' own); those few are read exactly;
- the exact one (cells without `r`, prefixed tags, other encodings, or a box that does not
  settle it): expat, a streaming parser without DTDs or entities, event by event; it stops at
  the first cell beyond the limits.
"""

import functools
import posixpath
import re
import xml.parsers.expat
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass

MAX_COLUMNS = 200  # a 生意参谋 store report has 20–40 columns
CELLS_PER_ROW = 40  # the cells of a sheet in all: its row limit × this (about 256 MB in calamine)
CHUNK = 1024 * 1024  # bytes of XML unpacked at a time
MAX_TAG = 64 * 1024  # a piece of XML ends before its last "<", unless a tag would be longer
MAX_SUSPECTS = 10_000  # cells outside the box read one by one; beyond them, the exact reading
MAX_REFERENCE = 64  # bytes of an r="…" value looked at (XFD1048576 has 10)


@dataclass(frozen=True)
class Limits:
    rows: int
    columns: int = MAX_COLUMNS
    cells: int | None = None  # default: rows × CELLS_PER_ROW

    @property
    def cell_budget(self) -> int:
        return self.cells if self.cells is not None else self.rows * CELLS_PER_ROW

    def allow(self, rows: int, columns: int) -> bool:
        return rows <= self.rows and columns <= self.columns and rows * columns <= self.cell_budget


class TooFar(Exception):
    """The sheet reaches `cell` (its last row and column): beyond the limits."""

    def __init__(self, rows: int, columns: int):
        self.rows, self.columns = rows, columns
        self.cell = f"{column_name(columns)}{rows}"
        super().__init__(self.cell)


class TooManyTexts(Exception):
    """The workbook declares `declared` shared texts, more than its `size` bytes can hold."""

    def __init__(self, declared: int, size: int):
        self.declared, self.size = declared, size
        super().__init__(f"{declared} shared texts declared in {size} bytes")


class Unreadable(Exception):
    """The XML cannot be read (malformed, or it declares a DTD); `detail` says why."""

    def __init__(self, detail: str):
        self.detail = detail
        super().__init__(detail)


def column_name(number: int) -> str:
    """1 → A, 27 → AA, 16384 → XFD."""
    letters = ""
    while number > 0:
        number, remainder = divmod(number - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters or "A"


def column_number(letters: bytes | str) -> int:
    number = 0
    for letter in letters.upper() if isinstance(letters, str) else letters.upper().decode():
        number = number * 26 + ord(letter) - 64
    return number


_REFERENCE = re.compile(rb"([A-Za-z]*)([0-9]+)")  # as calamine reads r: letters, then digits


def _reference(value: bytes) -> tuple[int, int] | None:
    """(row, column) of an r value, column 0 for a row number; None for what calamine refuses."""
    match = _REFERENCE.fullmatch(value)
    if match is None:
        return None
    return int(match[2]), column_number(match[1])


# Which sheet is which file ------------------------------------------------------------------

RELATIONSHIP_TYPES = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"


def _elements(archive: zipfile.ZipFile, member: str, wanted: set[str]) -> Iterator[dict[str, str]]:
    """The attributes of each element named in `wanted` (local names), streamed."""
    found: list[dict[str, str]] = []
    parser = _parser()

    def start(name: str, attributes: dict[str, str]) -> None:
        if name.rpartition(":")[2] in wanted:
            found.append(attributes)

    parser.StartElementHandler = start
    with archive.open(member) as stream:
        while chunk := stream.read(CHUNK):
            _feed(parser, chunk)
            yield from found
            found.clear()
    _feed(parser, b"", final=True)
    yield from found


def sheet_parts(archive: zipfile.ZipFile) -> dict[str, str]:
    """Sheet name → its member of the zip, as the workbook and its relationships say."""
    names = set(archive.namelist())
    targets = {}
    if "xl/_rels/workbook.xml.rels" in names:
        for relation in _elements(archive, "xl/_rels/workbook.xml.rels", {"Relationship"}):
            targets[relation.get("Id")] = relation.get("Target", "")
    parts = {}
    for sheet in _elements(archive, "xl/workbook.xml", {"sheet"}):
        relation = next((value for key, value in sheet.items() if key.rpartition(":")[2] == "id"), None)
        target = targets.get(relation)
        if "name" in sheet and target:
            parts[sheet["name"]] = _member(target, names)
    return parts


def _member(target: str, names: set[str]) -> str:
    path = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join("xl", target))
    if path in names:
        return path
    return next((name for name in names if name.lower() == path.lower()), path)


def members_that_may_be_sheets(archive: zipfile.ZipFile) -> list[str]:
    """Every XML member but the known others: what to check when a sheet's own is unknown."""
    others = {"[content_types].xml", "xl/workbook.xml", "xl/styles.xml", "xl/sharedstrings.xml"}
    return [
        name
        for name in archive.namelist()
        if name.lower().endswith(".xml") and name.lower() not in others and "/theme/" not in name.lower()
    ]


# Shared texts ------------------------------------------------------------------------------


def check_shared_texts(archive: zipfile.ZipFile) -> None:
    """Refuse a shared-text table that declares more texts than its bytes can hold (each
    takes at least five, `<si/>`): calamine reserves room for the declared count."""
    names = archive.namelist()
    targets = {name for name in names if name.lower().endswith("sharedstrings.xml")}
    if "xl/_rels/workbook.xml.rels" in names:
        for relation in _elements(archive, "xl/_rels/workbook.xml.rels", {"Relationship"}):
            if relation.get("Type", "").endswith("/sharedStrings") and relation.get("Target"):
                targets.add(_member(relation["Target"], set(names)))
    for member in sorted(targets & set(names)):
        size = archive.getinfo(member).file_size
        root = _root_attributes(archive, member)
        # Only uniqueCount is reserved for; count (every use of a text) may well exceed the size.
        declared = root.get("uniqueCount", "").strip()
        if declared.isascii() and declared.isdigit() and int(declared) > size:
            raise TooManyTexts(int(declared), size)


class _Found(Exception):
    pass


def _root_attributes(archive: zipfile.ZipFile, member: str) -> dict[str, str]:
    root: dict[str, str] = {}
    parser = _parser()

    def start(_name: str, attributes: dict[str, str]) -> None:
        root.update(attributes)
        raise _Found

    parser.StartElementHandler = start
    with archive.open(member) as stream:
        try:
            while chunk := stream.read(64 * 1024):
                _feed(parser, chunk)
            _feed(parser, b"", final=True)
        except _Found:
            pass
    return root


# A sheet's extent ----------------------------------------------------------------------------


def check_sheet(archive: zipfile.ZipFile, member: str, limits: Limits) -> None:
    """Refuse the sheet `member` with TooFar when it reaches beyond `limits`."""
    decided = _fast_check(archive, member, limits)
    if not decided:
        _exact_check(archive, member, limits)


def _pieces(stream) -> Iterator[bytes]:
    """The XML in pieces that end before a "<", so that no tag shorter than MAX_TAG is cut."""
    tail = b""
    while chunk := stream.read(CHUNK):
        data = tail + chunk
        cut = data.rfind(b"<")
        if cut < 0 or len(data) - cut > MAX_TAG:
            cut = len(data)
        tail = data[cut:]
        yield data[:cut]
    if tail:
        yield tail


# A <c that is not followed by ` r="`: another element (<col, <cfRule…) or a cell whose r is
# not its first attribute, or missing.
_CELL_WITHOUT_R_FIRST = re.compile(rb'<c(?! r=")')
_PREFIXED_CELL = re.compile(rb":c[\s/>]")  # <x:c …>: a cell in a prefixed namespace
_DIMENSION = re.compile(rb"<(?:[^\s<>/:]+:)?dimension\s[^>]*?\bref\s*=\s*[\"']([^\"']*)")
_OTHER_ENCODINGS = (b"\xff\xfe", b"\xfe\xff", b"\x4c\x6f\xa7\x94")  # UTF-16 byte-order marks, EBCDIC
_DECLARED_ENCODING = re.compile(rb"<\?xml[^>]*encoding\s*=\s*[\"']([^\"']*)")


def _fast_check(archive: zipfile.ZipFile, member: str, limits: Limits) -> bool:
    """True when the byte-level reading settles it (or raises TooFar); False when the exact
    reading is needed."""
    with archive.open(member) as stream:
        pieces = _pieces(stream)
        first = next(pieces, b"")
        if first.startswith(_OTHER_ENCODINGS) or b"\x00" in first[:1024]:  # UTF-16, UTF-32
            return False
        declared = _DECLARED_ENCODING.match(first.lstrip(b"\xef\xbb\xbf"))
        if declared and declared[1].lower().replace(b"-", b"").replace(b"_", b"") not in (b"utf8", b"ascii"):
            return False
        box = _box(first, limits)
        suspects = _suspects(*box)
        top_row = top_column = count = 0
        for piece in _prepend(first, pieces):
            for match in _CELL_WITHOUT_R_FIRST.finditer(piece):
                following = piece[match.end() : match.end() + 1]
                if not following or following in b" \t\r\n/>":
                    return False
            if _PREFIXED_CELL.search(piece):
                return False
            for match in suspects.finditer(piece):
                quote = piece[match.end() - 1 : match.end()]
                end = piece.find(quote, match.end(), match.end() + MAX_REFERENCE)
                if end < 0:  # a value longer than any reference: the exact reading decides
                    return False
                position = _reference(piece[match.end() : end])
                if position is None or position[1] == 0:  # not read by calamine, or a <row r>
                    continue
                row, column = position
                if not limits.allow(row, column):
                    raise TooFar(row, column)
                top_row, top_column, count = max(top_row, row), max(top_column, column), count + 1
                if count > MAX_SUSPECTS:
                    return False
    rows, columns = max(box[0], top_row), max(box[1], top_column)
    if limits.allow(rows, columns):
        return True
    if count and not limits.allow(top_row, top_column):
        raise TooFar(top_row, top_column)
    return False


def _prepend(first: bytes, rest: Iterator[bytes]) -> Iterator[bytes]:
    yield first
    yield from rest


def _box(first: bytes, limits: Limits) -> tuple[int, int]:
    """(rows, columns) within the limits that cells are expected in: the limits at full height
    (all their rows, as many columns as the cell budget leaves), or the sheet's dimension when
    it is within the limits but wider (a dimension may also understate: then it is not used)."""
    full_height = limits.rows, min(limits.columns, max(1, limits.cell_budget // limits.rows))
    dimension = _DIMENSION.search(first)
    if dimension:
        position = _reference(dimension[1].rpartition(b":")[2].strip())
        if position and position[1] > full_height[1] and limits.allow(*position):
            return position
    return full_height


@functools.lru_cache(maxsize=16)
def _suspects(rows: int, columns: int) -> re.Pattern:
    """Every r="…" (of a cell, a row, or anything with such an attribute) whose value is not a
    reference within rows × columns: the cells to read one by one."""
    within = rb"(?:" + _columns_up_to(columns) + rb")?(?:" + _numbers_up_to(rows) + rb")"
    return re.compile(rb"r\s*=\s*(?:\"(?!" + within + rb"\")|'(?!" + within + rb"'))")


def _numbers_up_to(limit: int) -> bytes:
    """A pattern of the numbers 1 … limit, written without leading zeros."""
    digits = str(limit)
    options = [rb"[1-9][0-9]{0,%d}" % (len(digits) - 2)] if len(digits) > 1 else []
    for position, digit in enumerate(digits):
        first = "1" if position == 0 else "0"
        if digit > first:
            below = f"[{first}-{int(digit) - 1}]"
            options.append((digits[:position] + below + "[0-9]" * (len(digits) - position - 1)).encode())
    options.append(digits.encode())
    return b"|".join(options)


def _columns_up_to(limit: int) -> bytes:
    """A pattern of the column letters A … column_name(limit), in either case."""
    options = []
    for length in range(1, len(column_name(limit)) + 1):
        first_of_length = column_number("A" * length)
        if first_of_length > limit:
            break
        last = min(limit, column_number("Z" * length))
        options.append(_letters_between(column_name(first_of_length), column_name(last)))
    return b"|".join(options)


def _letters_between(low: str, high: str) -> bytes:
    """Letter strings of one length from `low` to `high` (AA … GR), case-insensitively."""

    def cls(start: str, end: str) -> str:
        return f"[{start}-{end}{start.lower()}-{end.lower()}]"

    if len(high) == 1:
        return cls(low, high).encode()
    options = []
    if high[0] > "A":
        options.append(cls("A", chr(ord(high[0]) - 1)) + cls("A", "Z") * (len(high) - 1))
    head = high[0]
    rest = _letters_between("A" * (len(high) - 1), high[1:]).decode()
    options.append(f"[{head}{head.lower()}](?:{rest})")
    return "|".join(options).encode()


def _exact_check(archive: zipfile.ZipFile, member: str, limits: Limits) -> None:
    """Every cell placed by expat, as calamine places it; TooFar at the first one beyond."""
    parser = _parser()
    state = {"row": 0, "column": 0, "rows": 0, "columns": 0}

    def start(name: str, attributes: dict[str, str]) -> None:
        local = name.rpartition(":")[2]
        if local == "row":
            position = _reference(attributes.get("r", "").encode())
            state["row"] = position[0] if position and not position[1] else state["row"] + 1
            state["column"] = 0
        elif local == "c":
            position = _reference(attributes.get("r", "").encode())
            if position and position[1]:
                row, column = position
            else:
                row, column = max(state["row"], 1), state["column"] + 1
            state["column"] = column
            rows, columns = max(state["rows"], row), max(state["columns"], column)
            state["rows"], state["columns"] = rows, columns
            if not limits.allow(rows, columns):
                raise TooFar(rows, columns)

    parser.StartElementHandler = start
    with archive.open(member) as stream:
        while chunk := stream.read(CHUNK):
            _feed(parser, chunk)
    _feed(parser, b"", final=True)


def _parser() -> "xml.parsers.expat.XMLParserType":
    """Expat without namespaces (names keep their prefix, as calamine sees them), DTDs or
    external entities: a sheet that declares a DTD is refused."""
    parser = xml.parsers.expat.ParserCreate()
    parser.SetParamEntityParsing(xml.parsers.expat.XML_PARAM_ENTITY_PARSING_NEVER)

    def no_dtd(*_args) -> None:
        raise Unreadable("a DTD is declared")

    parser.StartDoctypeDeclHandler = no_dtd
    parser.EntityDeclHandler = no_dtd
    return parser


def _feed(parser, data: bytes, final: bool = False) -> None:
    try:
        parser.Parse(data, final)
    except xml.parsers.expat.ExpatError as error:
        raise Unreadable(xml.parsers.expat.errors.messages[error.code]) from None
