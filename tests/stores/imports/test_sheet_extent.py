"""An .xlsx of 2 KB must not exhaust memory: a sheet reaching far (one cell at XFD1048576, or
ZZ100000) is refused before python-calamine builds its grid, quickly and in little memory.

The crafted workbooks are written by hand (XML into a zip) and parsed in a child process with
its address space capped at 1 GiB: calamine asking for the grid (2.2 GB for ZZ100000, 500 GB
for XFD1048576) aborts that process, so these tests fail without the extent check. What the
check decides is also compared with where calamine itself places the cells of small sheets,
written in every way the format allows (with and without r, prefixed, quoted either way).
"""

import io
import json
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from django.utils import translation
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from python_calamine import CalamineWorkbook

from stores.imports import extent, parse_metrics_file, reader

ROOT = Path(__file__).resolve().parents[3]
MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
RELATIONSHIPS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PACKAGE = "http://schemas.openxmlformats.org/package/2006"
HEAD = (
    '<row r="1"><c r="A1" t="inlineStr"><is><t>统计日期</t></is></c>'
    '<c r="B1" t="inlineStr"><is><t>访客数</t></is></c></row>'
    '<row r="2"><c r="A2" t="inlineStr"><is><t>2026-11-01</t></is></c><c r="B2"><v>1000</v></c></row>'
)


def workbook(
    *sheets: str,
    dimension: str | None = None,
    shared_strings: str | None = None,
    target: str = "worksheets/sheet{n}.xml",
    prefix: str = "",
) -> bytes:
    """An .xlsx whose sheets ("Sheet1", …) hold the given <sheetData> contents."""
    p = f"{prefix}:" if prefix else ""
    xmlns = f'xmlns:{prefix}="{MAIN}"' if prefix else f'xmlns="{MAIN}"'
    members = {
        "[Content_Types].xml": (
            f'<?xml version="1.0" encoding="UTF-8"?><Types xmlns="{PACKAGE}/content-types">'
            '<Default Extension="rels" '
            'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/></Types>'
        ),
        "_rels/.rels": (
            f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{PACKAGE}/relationships">'
            f'<Relationship Id="rId1" Type="{RELATIONSHIPS}/officeDocument" Target="xl/workbook.xml"/>'
            "</Relationships>"
        ),
        "xl/workbook.xml": (
            f'<?xml version="1.0" encoding="UTF-8"?>'
            f'<workbook xmlns="{MAIN}" xmlns:r="{RELATIONSHIPS}"><sheets>'
            + "".join(
                f'<sheet name="Sheet{n}" sheetId="{n}" r:id="rId{n}"/>' for n in range(1, len(sheets) + 1)
            )
            + "</sheets></workbook>"
        ),
    }
    relations = [
        f'<Relationship Id="rId{n}" Type="{RELATIONSHIPS}/worksheet" Target="{target.format(n=n)}"/>'
        for n in range(1, len(sheets) + 1)
    ]
    if shared_strings is not None:
        relations.append(
            f'<Relationship Id="rId99" Type="{RELATIONSHIPS}/sharedStrings" Target="sharedStrings.xml"/>'
        )
        members["xl/sharedStrings.xml"] = shared_strings
    members["xl/_rels/workbook.xml.rels"] = (
        f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{PACKAGE}/relationships">'
        + "".join(relations)
        + "</Relationships>"
    )
    for n, data in enumerate(sheets, start=1):
        size = f'<{p}dimension ref="{dimension}"/>' if dimension else ""
        path = target.format(n=n)
        path = path.lstrip("/") if path.startswith("/") else f"xl/{path}"
        members[path] = (
            f'<?xml version="1.0" encoding="UTF-8"?><{p}worksheet {xmlns}>{size}'
            f"<{p}sheetData>{data}</{p}sheetData></{p}worksheet>"
        )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in members.items():
            archive.writestr(name, text.encode() if isinstance(text, str) else text)
    return buffer.getvalue()


CHILD = """
import json, resource, sys, time
resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))
import django
django.setup()
from django.utils import translation
from stores.imports import parse_metrics_file

content = sys.stdin.buffer.read()
started = time.perf_counter()
with translation.override("en"):
    parsed = parse_metrics_file(content=content, file_name="far.xlsx")
seconds = time.perf_counter() - started
status = open("/proc/self/status").read().splitlines()
peak = next(int(line.split()[1]) for line in status if line.startswith("VmHWM")) / 1024
print(json.dumps({"errors": [issue.message for issue in parsed.errors], "rows": len(parsed.rows),
                  "seconds": seconds, "peak_mb": peak}))
"""


def parse_in_a_small_process(content: bytes) -> dict:
    """Parse in a child process limited to 1 GiB of address space: a grid that does not fit
    aborts it (calamine's allocation failure is not an exception)."""
    done = subprocess.run(
        [sys.executable, "-c", CHILD],
        input=content,
        capture_output=True,
        cwd=ROOT,
        env={"DJANGO_SETTINGS_MODULE": "tests.settings", "PATH": "/usr/bin:/bin"},
        timeout=120,
    )
    assert done.returncode == 0, done.stderr.decode()[-2000:]
    return json.loads(done.stdout)


FAR_SHEETS = {
    # one cell at the last cell Excel has
    "XFD1048576": HEAD + '<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>',
    # 2.2 GB of grid; the dimension says A1:B2
    "ZZ100000": HEAD + '<row r="100000"><c r="ZZ100000"><v>1</v></c></row>',
    # cells without r: the row's 60 cells go to columns A … BH of row 150,000
    "BB150000": HEAD + '<row r="150000">' + "<c><v>1</v></c>" * 60 + "</row>",
    # a second r: calamine takes the last one
    "ZZ100001": HEAD + '<row r="3"><c r="A3" r="ZZ100001"><v>1</v></c></row>',
    # r not first, with spaces and single quotes
    "ZZ100002": HEAD + '<row r="3"><c s="0" r = \'ZZ100002\'><v>1</v></c></row>',
    # within 200 columns and 200,050 rows, but 30 million cells in all
    "GR150000": HEAD + '<row r="150000"><c r="GR150000"><v>1</v></c></row>',
}


@pytest.mark.parametrize("cell", FAR_SHEETS)
def test_a_sheet_reaching_far_is_refused_quickly_in_little_memory(cell):
    content = workbook(FAR_SHEETS[cell], dimension="A1:B2")
    assert len(content) < 2500
    outcome = parse_in_a_small_process(content)
    assert outcome["rows"] == 0
    (error,) = outcome["errors"]
    assert error.startswith(f"far.xlsx, sheet “Sheet1”: it reaches cell {cell}, beyond what an import reads")
    assert outcome["seconds"] < 2
    assert outcome["peak_mb"] < 250  # the interpreter and Django; no grid


def test_a_sheet_in_a_prefixed_namespace_reaching_far_is_refused():
    far = (
        '<x:row r="1"><x:c r="A1"><x:v>1</x:v></x:c></x:row>'
        '<x:row r="1048576"><x:c r="XFD1048576"><x:v>1</x:v></x:c></x:row>'
    )
    outcome = parse_in_a_small_process(workbook(far, prefix="x"))
    assert "it reaches cell XFD1048576" in outcome["errors"][0]


def test_a_sheet_kept_under_another_name_is_checked():
    content = workbook(FAR_SHEETS["XFD1048576"], target="/xl/data/first sheet.xml")
    assert "it reaches cell XFD1048576" in parse_in_a_small_process(content)["errors"][0]


def test_a_workbook_declaring_billions_of_texts_is_refused():
    texts = (
        f'<?xml version="1.0"?><sst xmlns="{MAIN}" count="1" uniqueCount="4000000000"><si><t>x</t></si></sst>'
    )
    outcome = parse_in_a_small_process(workbook(HEAD, shared_strings=texts))
    assert outcome["errors"] == [
        "far.xlsx: the workbook says it holds 4,000,000,000 texts, far more than it does "
        "(a damaged or crafted file), so it was not opened"
    ]
    assert outcome["peak_mb"] < 250


def test_sheets_are_not_all_held_in_memory_at_once():
    """Eight sheets that each fit (40 columns × 100,000 rows: 128 MB of grid in calamine) are
    read one after the other: only the chosen one stays open."""
    sheet = HEAD + '<row r="100000"><c r="AN100000" t="inlineStr"><is><t></t></is></c></row>'
    outcome = parse_in_a_small_process(workbook(*[sheet] * 8))
    assert outcome["errors"] == [] and outcome["rows"] == 1
    assert outcome["peak_mb"] < 600


def test_a_zip_naming_one_member_twice_is_refused():
    buffer = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(workbook(HEAD))) as source, zipfile.ZipFile(buffer, "w") as copy:
        for member in source.infolist():
            copy.writestr(member.filename, source.read(member))
        with pytest.warns(UserWarning, match="Duplicate name"):
            copy.writestr("xl/worksheets/sheet1.xml", workbook(FAR_SHEETS["XFD1048576"]))
    with translation.override("en"):
        parsed = parse_metrics_file(content=buffer.getvalue(), file_name="twice.xlsx")
    assert [issue.message for issue in parsed.errors] == [
        "twice.xlsx: the file is damaged: it starts like an .xlsx workbook but cannot be unpacked"
    ]


# Honest workbooks are read as before ------------------------------------------------------------------


def _table(columns: int, rows: int, *, with_r: bool = True) -> str:
    """A header 统计日期, 访客数, then columns-2 ignored ones, and `rows` days."""

    def cell(row: int, column: int, value: str) -> str:
        reference = f' r="{extent.column_name(column)}{row}"' if with_r else ""
        if value.isdigit():
            return f"<c{reference}><v>{value}</v></c>"
        return f'<c{reference} t="inlineStr"><is><t>{value}</t></is></c>'

    header = ["统计日期", "访客数"] + [f"其他{n}" for n in range(columns - 2)]
    lines = [f'<row r="1">{"".join(cell(1, n + 1, text) for n, text in enumerate(header))}</row>']
    for row in range(2, rows + 2):
        day = f"2026-10-{row - 1:02d}" if row < 33 else f"2026-09-{row - 32:02d}"
        values = [day, str(1000 + row)] + ["7"] * (columns - 2)
        lines.append(
            f'<row r="{row}">{"".join(cell(row, n + 1, text) for n, text in enumerate(values))}</row>'
        )
    return "".join(lines)


@pytest.mark.parametrize(
    ("columns", "dimension", "with_r"),
    [
        (2, "A1:XFD1048576", True),  # a dimension that overstates is not held against the file
        (2, "A1", True),  # nor one that understates
        (60, "A1:BH31", True),  # wider than the box the limits give at full height
        (60, None, True),
        (60, None, False),  # no r at all: every cell placed by the exact reading
        (18, "A1:R31", False),
    ],
)
def test_honest_workbooks_are_read(columns, dimension, with_r):
    content = workbook(_table(columns, 30, with_r=with_r), dimension=dimension)
    parsed = parse_metrics_file(content=content, file_name="ok.xlsx")
    assert parsed.ok, parsed.errors
    assert len(parsed.rows) == 30 and parsed.rows[0].values == {"uv": 1002}


def test_the_row_limit_counts_the_title_rows():
    limits = reader.sheet_limits(100)
    assert limits == extent.Limits(rows=100 + reader.PROBE_ROWS) and limits.columns == extent.MAX_COLUMNS
    total = (
        '<row r="{row}"><c r="A{row}" t="inlineStr"><is><t>合计</t></is></c></row>'  # a 合计 row far below
    )
    at_the_limit, beyond = total.format(row=limits.rows), total.format(row=limits.rows + 1)
    with translation.override("en"):
        assert parse_metrics_file(content=workbook(HEAD + at_the_limit), file_name="a.xlsx", max_rows=100).ok
        refused = parse_metrics_file(content=workbook(HEAD + beyond), file_name="b.xlsx", max_rows=100)
    assert f"it reaches cell A{limits.rows + 1}" in refused.errors[0].message


# The check against calamine itself ---------------------------------------------------------------------

STYLES = ("canonical", "no_r", "r_later", "single_quotes", "prefixed", "mixed")


def _sheet_xml(cells: list[tuple[int, int]], style: str) -> str:
    """Cells (row, column) as one sheet's XML, each with a value, rows in order."""
    p = "x:" if style == "prefixed" else ""
    by_row: dict[int, list[int]] = {}
    for row, column in sorted(set(cells)):
        by_row.setdefault(row, []).append(column)
    parts = []
    for index, (row, columns) in enumerate(sorted(by_row.items())):
        tags = []
        previous = 0
        for column in columns:
            reference = f"{extent.column_name(column)}{row}"
            implicit = style == "no_r" or (style == "mixed" and column == previous + 1 and index % 2)
            if implicit and column != previous + 1:
                tags.append(f"<{p}c><{p}v>0</{p}v></{p}c>" * (column - previous - 1))
            if implicit:
                tags.append(f"<{p}c><{p}v>1</{p}v></{p}c>")
            elif style == "r_later":
                tags.append(f'<{p}c s="0" r="{reference}"><{p}v>1</{p}v></{p}c>')
            elif style == "single_quotes":
                tags.append(f"<{p}c r='{reference}'><{p}v>1</{p}v></{p}c>")
            else:
                tags.append(f'<{p}c r="{reference}"><{p}v>1</{p}v></{p}c>')
            previous = column
        row_r = "" if style == "no_r" and index and row == sorted(by_row)[index - 1] + 1 else f' r="{row}"'
        parts.append(f"<{p}row{row_r}>{''.join(tags)}</{p}row>")
    return "".join(parts)


def _calamine_reach(content: bytes) -> tuple[int, int]:
    sheet = CalamineWorkbook.from_filelike(io.BytesIO(content)).get_sheet_by_name("Sheet1")
    end_row, end_column = sheet.end
    return end_row + 1, end_column + 1


def _refused(content: bytes, limits: extent.Limits) -> bool:
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        try:
            extent.check_sheet(archive, extent.sheet_parts(archive)["Sheet1"], limits)
        except extent.TooFar:
            return True
    return False


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    cells=st.lists(st.tuples(st.integers(1, 300), st.integers(1, 60)), min_size=1, max_size=25),
    style=st.sampled_from(STYLES),
    dimension=st.sampled_from([None, "A1", "A1:B2", "A1:XFD1048576"]),
)
def test_the_check_places_cells_where_calamine_does(cells, style, dimension):
    content = workbook(
        _sheet_xml(cells, style), dimension=dimension, prefix="x" if style == "prefixed" else ""
    )
    rows, columns = _calamine_reach(content)
    assert not _refused(content, extent.Limits(rows=rows, columns=columns, cells=rows * columns))
    assert _refused(content, extent.Limits(rows=rows, columns=columns, cells=rows * columns - 1))
    if rows > 1:
        assert _refused(content, extent.Limits(rows=rows - 1, columns=columns))
    if columns > 1:
        assert _refused(content, extent.Limits(rows=rows, columns=columns - 1))


@pytest.mark.parametrize(
    ("limit", "inside", "outside"),
    [
        (26, ["A", "z"], ["AA"]),
        (40, ["AN", "an", "Z"], ["AO", "BA"]),
        (200, ["GR", "FZ", "A"], ["GS", "HA", "AAA"]),
    ],
)
def test_column_patterns(limit, inside, outside):
    import re

    pattern = re.compile(b"(?:" + extent._columns_up_to(limit) + b")")
    assert all(pattern.fullmatch(letters.encode()) for letters in inside)
    assert not any(pattern.fullmatch(letters.encode()) for letters in outside)


@pytest.mark.parametrize("limit", [1, 9, 10, 99, 100, 200050, 999999, 1000000])
def test_number_patterns(limit):
    import re

    pattern = re.compile(b"(?:" + extent._numbers_up_to(limit) + b")")
    for number in {1, 2, 9, 10, 11, 99, 100, 101, limit - 1, limit, limit + 1, limit * 10}:
        assert bool(number >= 1 and pattern.fullmatch(str(number).encode())) == (1 <= number <= limit), number


def test_the_refusal_is_in_the_users_language():
    content = workbook(HEAD + '<row r="9"><c r="XFD9"><v>1</v></c></row>')
    with translation.override("zh-hans"):
        parsed = parse_metrics_file(content=content, file_name="远.xlsx")
    assert parsed.errors[0].message.startswith(
        "远.xlsx，工作表“Sheet1”：已延伸到单元格 XFD9，超出导入可读取的范围（最多 200,050 行、200 列"
    )
