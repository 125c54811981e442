"""Reading the file itself: format by content, CSV encodings and separators, and every kind of
file that is not a readable export, each refused with one clear error naming the file."""

import datetime
import os
from decimal import Decimal

import pytest
from django.utils import translation

from stores.imports import parse_metrics_file, reader
from tests.stores.imports.files import (
    HEADER,
    OLE2_BYTES,
    PNG_BYTES,
    TITLE_ROWS,
    csv_bytes,
    report_row,
    with_declared_size,
    xlsx_bytes,
    zeros_bomb,
    zip_bytes,
)

NOV_1 = datetime.date(2026, 11, 1)


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def _only_error(parsed) -> str:
    assert not parsed.rows
    assert len(parsed.errors) == 1, [issue.message for issue in parsed.errors]
    issue = parsed.errors[0]
    assert issue.file_name == parsed.file_name
    assert issue.message.startswith(f"{parsed.file_name}: ")
    assert (issue.row, issue.column) == (None, None)
    return issue.message


# CSV encodings ----------------------------------------------------------------------------

STORE_ROWS = [HEADER, report_row(NOV_1, store="𠮷野家旗舰店")]  # 𠮷 is not in GBK, only in GB18030


@pytest.mark.parametrize(
    ("encoding", "reported"),
    [("utf-8", "utf-8"), ("utf-8-sig", "utf-8-sig"), ("gb18030", "gb18030"), ("utf-16", "utf-16")],
)
def test_csv_encodings_are_detected(encoding, reported):
    parsed = parse_metrics_file(content=csv_bytes(STORE_ROWS, encoding=encoding), file_name="日报.csv")
    assert parsed.ok, parsed.errors
    assert parsed.encoding == reported
    assert [row.store_name for row in parsed.rows] == ["𠮷野家旗舰店"]


def test_gbk_csv_as_written_by_excel_on_chinese_windows():
    rows = [*TITLE_ROWS, HEADER, report_row(NOV_1, store="杭州旗舰店")]
    parsed = parse_metrics_file(content=csv_bytes(rows, encoding="gbk"), file_name="日报.csv")
    assert parsed.ok, parsed.errors
    assert parsed.encoding == "gb18030"
    assert parsed.header_row == 4
    assert parsed.rows[0].store_name == "杭州旗舰店"
    assert parsed.rows[0].values["uv"] == 2000


def test_text_in_no_supported_encoding_is_refused():
    content = "统计日期,访客数\r\n2026-11-01,1\r\n".encode() + b"\xff\xfe\xfd\x80\x80"
    message = _only_error(parse_metrics_file(content=content, file_name="x.csv"))
    assert "neither UTF-8 nor GBK/GB18030" in message


def test_a_wrong_decoding_never_imports_silently():
    """Big5 text decodes as GB18030 without error, into nonsense headers: refused, not imported."""
    content = "統計日期,訪客數\r\n2026-11-01,1\r\n".encode("big5")
    parsed = parse_metrics_file(content=content, file_name="x.csv")
    assert not parsed.ok and not parsed.rows
    assert "no header row" in _only_error(parsed)


# CSV separators -------------------------------------------------------------------------


@pytest.mark.parametrize("delimiter", [",", "\t", ";"])
def test_separators_are_detected_from_the_header(delimiter):
    rows = [*TITLE_ROWS, HEADER, report_row(NOV_1)]
    parsed = parse_metrics_file(content=csv_bytes(rows, delimiter=delimiter), file_name="x.csv")
    assert parsed.ok, parsed.errors
    assert parsed.rows[0].values["gmv"] == 9000  # "9,000.00": quoted when comma separated


def test_quoted_fields_with_commas():
    content = '统计日期,访客数,支付金额\r\n2026-11-01,"1,234","¥12,345.60"\r\n'.encode()
    parsed = parse_metrics_file(content=content, file_name="x.csv")
    assert parsed.rows[0].values == {"uv": 1234, "gmv": Decimal("12345.60")}


def test_a_field_too_long_for_csv_is_one_clear_error():
    content = ('统计日期,访客数\r\n2026-11-01,1\r\n2026-11-02,"' + "x" * 200_000 + '"\r\n').encode()
    message = _only_error(parse_metrics_file(content=content, file_name="x.csv"))
    assert message.startswith("x.csv: the CSV text cannot be read at row 3 (field larger than field limit")


def test_old_mac_line_endings():
    content = "统计日期,访客数\r2026-11-01,12\r2026-11-02,13\r".encode()
    parsed = parse_metrics_file(content=content, file_name="x.csv")
    assert [row.values["uv"] for row in parsed.rows] == [12, 13]


# Format by content, not by name -----------------------------------------------------------


def test_a_workbook_named_csv_is_read_as_a_workbook():
    content = xlsx_bytes({"店铺整体": [HEADER, report_row(NOV_1)]})
    parsed = parse_metrics_file(content=content, file_name="export.csv")
    assert parsed.ok, parsed.errors
    assert (parsed.sheet, parsed.encoding) == ("店铺整体", None)


def test_a_csv_named_xlsx_is_read_as_text():
    parsed = parse_metrics_file(content=csv_bytes([HEADER, report_row(NOV_1)]), file_name="export.xlsx")
    assert parsed.ok, parsed.errors
    assert parsed.sheet is None and parsed.encoding == "utf-8-sig"


def test_hidden_sheets_are_not_read():
    content = xlsx_bytes({"隐藏": [HEADER, report_row(NOV_1)], "空": [["备注"]]}, hidden=["隐藏"])
    parsed = parse_metrics_file(content=content, file_name="x.xlsx")
    assert not parsed.ok


# Files that are not exports -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("content", "says"),
    [
        (b"", "the file is empty"),
        (b"  \r\n\r\n ", "the file is empty"),
        (b"\xef\xbb\xbf", "the file is empty"),
        (OLE2_BYTES, "old Excel (.xls) or Word file"),
        (PNG_BYTES, "a PNG image"),
        (b"\xff\xd8\xff\xe0\0\x10JFIF", "a JPEG image"),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3", "a PDF document"),
        (b"\x1f\x8b\x08\0\0\0\0\0", "a gzip archive"),
        (zip_bytes({"word/document.xml": b"<w/>"}), "a Word document (.docx)"),
        (zip_bytes({"notes.txt": b"hello"}), "a zip archive"),
        (zip_bytes({"xl/workbook.bin": b"\0"}), ".xlsb"),
        (b"PK\x03\x04 not really a zip", "cannot be unpacked"),
        ("<html><body><table><tr><td>统计日期</td></tr></table></body></html>".encode(), "web page"),
        (b"<?xml version='1.0'?><Workbook/>", "web page or XML"),
        (b"\x00\x01\x02binary\x00", "neither an Excel workbook"),
    ],
    ids=[
        "empty",
        "blank",
        "bom-only",
        "doc-or-xls",
        "png",
        "jpeg",
        "pdf",
        "gzip",
        "docx",
        "zip",
        "xlsb",
        "broken-zip",
        "html",
        "xml",
        "binary",
    ],
)
def test_files_that_are_not_exports_give_one_clear_error(content, says):
    message = _only_error(parse_metrics_file(content=content, file_name="报表.xlsx"))
    assert says in message


def test_a_zip_bomb_is_refused_before_it_is_unpacked():
    """300 MB of zeros in a 300 kB file: refused by its declared size, never inflated."""
    message = _only_error(parse_metrics_file(content=zeros_bomb(300), file_name="bomb.xlsx"))
    assert "zip bomb" in message


def test_a_zip_bomb_under_the_size_cap_is_refused_by_its_ratio():
    message = _only_error(parse_metrics_file(content=zeros_bomb(50), file_name="bomb.xlsx"))
    assert "zip bomb" in message


def test_a_workbook_claiming_more_than_200_mb_unpacked_is_refused():
    """A 3 MB member of noise (it does not compress) claiming 250 MB: a ratio under 100:1, yet too big."""
    content = zip_bytes({"xl/workbook.xml": b"<x/>", "xl/media/image1.png": os.urandom(3 * 1024 * 1024)})
    claiming = with_declared_size(content, "xl/media/image1.png", 250 * 1024 * 1024)
    message = _only_error(parse_metrics_file(content=claiming, file_name="huge.xlsx"))
    assert "more than 200 MB" in message


def test_a_zip_that_understates_its_size_is_refused():
    real = xlsx_bytes({"店铺整体": [HEADER, *[report_row(NOV_1)] * 2000]})
    lying = with_declared_size(real, "xl/worksheets/sheet1.xml", 100)
    message = _only_error(parse_metrics_file(content=lying, file_name="lying.xlsx"))
    assert "zip bomb" in message


def test_check_zip_accepts_an_ordinary_workbook():
    content = xlsx_bytes({"店铺整体": [HEADER, *[report_row(NOV_1)] * 100]})
    assert "xl/workbook.xml" in reader.check_zip(content).namelist()


def test_a_damaged_workbook_is_refused_with_calamines_reason():
    content = zip_bytes({"xl/workbook.xml": b"<not a workbook", "[Content_Types].xml": b"<Types/>"})
    message = _only_error(parse_metrics_file(content=content, file_name="broken.xlsx"))
    assert "the workbook cannot be read (" in message
