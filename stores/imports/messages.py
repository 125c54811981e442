"""Every user-facing message of the import parser, in one place.

A message is a *problem* ("“abc” is not a number") placed at a *location* (file, sheet,
row, cell). Both are translated with gettext when the message is made, in the active
language; the msgids are English with named placeholders.
"""

from django.utils.translation import gettext, gettext_noop, ngettext

# Problems of one cell; every template takes %(value)s, the cell as written in the file.
CELL_PROBLEMS: dict[str, str] = {
    "not_number": gettext_noop("“%(value)s” is not a number"),
    "scientific": gettext_noop(
        "“%(value)s” is in scientific notation, which can hide digits; "
        "format the column as a number and save the file again"
    ),
    "percent": gettext_noop("“%(value)s” is a percentage, but this column holds plain numbers"),
    "not_whole": gettext_noop("“%(value)s” is not a whole number"),
    "negative": gettext_noop("“%(value)s” is negative"),
    "too_large": gettext_noop("“%(value)s” is too large"),
    "money_decimals": gettext_noop("“%(value)s” has more than 2 decimal places"),
    "score_decimals": gettext_noop("“%(value)s” has more than 4 decimal places"),
    "score_range": gettext_noop("“%(value)s” is not a score between 0 and 5"),
    "not_date": gettext_noop("“%(value)s” is not a date"),
    "date_range": gettext_noop("“%(value)s” is not a plausible date (years 2000 to 2099)"),
    "store_missing": gettext_noop("the store name is missing"),
}

# What a file that is not a spreadsheet turned out to be (see reader.MAGIC).
FILE_KINDS: dict[str, str] = {
    "png": gettext_noop("a PNG image"),
    "jpeg": gettext_noop("a JPEG image"),
    "gif": gettext_noop("a GIF image"),
    "pdf": gettext_noop("a PDF document"),
    "gzip": gettext_noop("a gzip archive"),
    "rar": gettext_noop("a RAR archive"),
    "7z": gettext_noop("a 7-Zip archive"),
    "docx": gettext_noop("a Word document (.docx)"),
    "pptx": gettext_noop("a PowerPoint file (.pptx)"),
    "zip": gettext_noop("a zip archive"),
}

MAX_VALUE_CHARS = 40


def shown(value: str) -> str:
    """A cell as quoted in a message: cut when long, so one message stays one line."""
    value = " ".join(value.split())
    return value if len(value) <= MAX_VALUE_CHARS else value[: MAX_VALUE_CHARS - 1] + "…"


# Locations ------------------------------------------------------------------------------


def at_file(file_name: str, problem: str) -> str:
    return gettext("%(file)s: %(problem)s") % {"file": file_name, "problem": problem}


def at_sheet(file_name: str, sheet: str, problem: str) -> str:
    return gettext("%(file)s, sheet “%(sheet)s”: %(problem)s") % {
        "file": file_name,
        "sheet": sheet,
        "problem": problem,
    }


def at_row(file_name: str, row: int, problem: str) -> str:
    return gettext("%(file)s, row %(row)s: %(problem)s") % {"file": file_name, "row": row, "problem": problem}


def at_cell(file_name: str, row: int, column: str, problem: str) -> str:
    return gettext("%(file)s, row %(row)s, column “%(column)s”: %(problem)s") % {
        "file": file_name,
        "row": row,
        "column": column,
        "problem": problem,
    }


# Problems ---------------------------------------------------------------------------------


def cell_problem(problem: str, value: str) -> str:
    return gettext(CELL_PROBLEMS[problem]) % {"value": shown(value)}


def empty_file() -> str:
    return gettext("the file is empty")


def old_office_file() -> str:
    return gettext(
        "this is an old Excel (.xls) or Word file, or a password-protected workbook; "
        "open it in Excel and save it as .xlsx or .csv"
    )


def not_a_spreadsheet(kind: str) -> str:
    return gettext("this is %(kind)s, not a spreadsheet; upload the .xlsx or .csv export of 生意参谋") % {
        "kind": gettext(FILE_KINDS[kind])
    }


def unsupported_workbook(extension: str) -> str:
    return gettext(
        "workbooks of type %(extension)s cannot be read; open it in Excel and save it as .xlsx or .csv"
    ) % {"extension": extension}


def web_page() -> str:
    return gettext(
        "this is a web page or XML file saved under a spreadsheet name; "
        "open it in Excel and save it as .xlsx or .csv"
    )


def not_text() -> str:
    return gettext("this is neither an Excel workbook (.xlsx) nor a CSV text file")


def unknown_encoding() -> str:
    return gettext(
        "the text is neither UTF-8 nor GBK/GB18030; save it as “CSV UTF-8” or as .xlsx and try again"
    )


def damaged_zip() -> str:
    return gettext("the file is damaged: it starts like an .xlsx workbook but cannot be unpacked")


def zip_bomb(limit_mb: int) -> str:
    return gettext(
        "the workbook would unpack to more than %(limit)s MB or is compressed suspiciously "
        "(a “zip bomb”), so it was not opened"
    ) % {"limit": limit_mb}


def unreadable_workbook(detail: str) -> str:
    return gettext(
        "the workbook cannot be read (%(detail)s); open it in Excel and save it again as .xlsx"
    ) % {"detail": shown(detail)}


def sheet_too_large(cell: str, rows: int, columns: int, cells: int) -> str:
    return gettext(
        "it reaches cell %(cell)s, beyond what an import reads (at most %(rows)s rows, "
        "%(columns)s columns and %(cells)s cells), so it was not opened; delete what lies below "
        "and to the right of the table, or copy the table into a new workbook"
    ) % {"cell": cell, "rows": f"{rows:,}", "columns": f"{columns:,}", "cells": f"{cells:,}"}


def too_many_texts(count: int) -> str:
    return gettext(
        "the workbook says it holds %(count)s texts, far more than it does (a damaged or "
        "crafted file), so it was not opened"
    ) % {"count": f"{count:,}"}


def unreadable_csv(row: int, detail: str) -> str:
    return gettext("the CSV text cannot be read at row %(row)s (%(detail)s)") % {
        "row": row,
        "detail": shown(detail),
    }


def no_worksheet() -> str:
    return gettext("the workbook has no worksheet")


def only_peer_groups() -> str:
    return gettext(
        "the file holds only peer-group figures (sheets or titles with 同行, 同层, 平均, 优秀 or 行业), "
        "not the store's own daily rows"
    )


def no_header(rows: int) -> str:
    return gettext(
        "no header row in the first %(rows)s rows: expected a date column (统计日期) "
        "and at least one metric column such as 访客数 or 支付金额"
    ) % {"rows": rows}


def no_date_column(row: int) -> str:
    return gettext("row %(row)s has metric columns but no date column (统计日期 or 日期)") % {"row": row}


def no_metric_column(row: int) -> str:
    return gettext(
        "row %(row)s has a date column but no metric column such as 访客数 or 支付金额; "
        "is this the store's daily report (店铺整体)?"
    ) % {"row": row}


def no_data_rows(header_row: int) -> str:
    return gettext("there are no data rows below the header (row %(row)s)") % {"row": header_row}


def duplicate_columns(headers: list[str], meaning: str) -> str:
    return gettext("the columns %(columns)s mean the same thing (%(meaning)s); keep only one of them") % {
        "columns": ", ".join(f"“{header}”" for header in headers),
        "meaning": meaning,
    }


def too_many_rows(max_rows: int) -> str:
    return gettext("the file has more than %(max)s data rows; split it into smaller files") % {
        "max": f"{max_rows:,}"
    }


def several_sheets(sheets: list[str], used: str) -> str:
    return gettext("several sheets hold daily rows (%(sheets)s); only sheet “%(sheet)s” was read") % {
        "sheets": ", ".join(f"“{sheet}”" for sheet in sheets),
        "sheet": used,
    }


def future_date(value: str, today: str) -> str:
    return gettext("“%(value)s” is a day that has not happened yet (today is %(today)s)") % {
        "value": shown(value),
        "today": today,
    }


def date_missing() -> str:
    return gettext("the row has figures but no date")


def duplicate_day(first: int, second: int, day: str, store: str | None) -> str:
    if store is None:
        return gettext("rows %(first)s and %(second)s are both for %(date)s") % {
            "first": first,
            "second": second,
            "date": day,
        }
    return gettext("rows %(first)s and %(second)s are both for store “%(store)s” on %(date)s") % {
        "first": first,
        "second": second,
        "date": day,
        "store": store,
    }


def peer_rows_skipped(count: int) -> str:
    return ngettext(
        "%(count)s row of peer-group figures (同行 / 同层) was skipped",
        "%(count)s rows of peer-group figures (同行 / 同层) were skipped",
        count,
    ) % {"count": count}


def ad_spend_total_differs(total: str, channel_sum: str) -> str:
    return gettext(
        "the total %(total)s differs from the sum of the channel columns, %(sum)s; the total is kept"
    ) % {"total": total, "sum": channel_sum}


def check_differs(value: str, expected: str) -> str:
    return gettext("the file says %(value)s, but the row's own figures give %(expected)s") % {
        "value": shown(value),
        "expected": expected,
    }


def check_unreadable(value: str) -> str:
    return gettext("“%(value)s” is not a number, so it was not checked") % {"value": shown(value)}


def more_errors(count: int) -> str:
    return ngettext("… and %(count)s more error", "… and %(count)s more errors", count) % {"count": count}


def more_warnings(count: int) -> str:
    return ngettext("… and %(count)s more warning", "… and %(count)s more warnings", count) % {"count": count}
