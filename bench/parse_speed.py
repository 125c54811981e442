"""Speed and memory of the import parser (stores.imports.parse_metrics_file), no database.

    .venv/bin/python bench/parse_speed.py [rows] [--repeat N]

Writes a 生意参谋-style store daily report of `rows` rows (default 100,000; 18 columns:
dates, store names, counts, "1,234.50" amounts, "3.25%" and AOV check columns, four ad-spend
channels, DSR scores) as a UTF-8 CSV and as an .xlsx (written directly as XML, with real date
cells and numbers), then parses each in a fresh process and prints rows/s (best of N runs)
and that process's peak RSS.
"""

import argparse
import csv
import datetime
import io
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "opsdesk.settings")
os.environ.setdefault("SECRET_KEY", "bench-only-not-a-secret")

# The typical store daily report header (docs/imports.md#a-typical-export), as the parser's tests write it.
from tests.stores.imports.files import HEADER  # noqa: E402

EXCEL_EPOCH = datetime.date(1899, 12, 30)


def report_rows(count: int, days_per_store: int = 365) -> list[list]:
    """Consistent rows: one store after another (店铺000, 店铺001 …), `days_per_store` days each."""
    generator = random.Random(20261101)
    rows = []
    for index in range(count):
        store, day = divmod(index, days_per_store)
        uv = generator.randint(100, 50_000)
        buyers = generator.randint(1, uv // 20 + 1)
        gmv = generator.randint(0, 20_000_000) / 100
        new = generator.randint(0, buyers)
        spend = [generator.randint(0, 300_000) / 100 for _channel in range(3)]
        rows.append(
            [
                datetime.date(2023, 1, 1) + datetime.timedelta(days=day),  # 1,000 days: all before today
                f"店铺{store:03d}",
                uv,
                uv * 3,
                gmv,
                buyers,
                f"{buyers / uv * 100:.2f}%",
                f"{gmv / buyers:.2f}",
                new,
                buyers - new,
                generator.randint(0, 500_000) / 100,
                *spend,
                "-",
                4.8123,
                4.9,
                4.85,
            ]
        )
    return rows


def as_csv(rows: list[list], title: str = "店铺整体日报") -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerows([[title], ["统计时间：2025-01-01 ~ 2025-12-31"], [], HEADER])
    for row in rows:
        gmv = f"{row[4]:,.2f}"  # "12,345.60", as 生意参谋 writes amounts
        writer.writerow([row[0].isoformat(), *row[1:4], gmv, *row[5:]])
    return buffer.getvalue().encode("utf-8-sig")


def _cell(reference: str, value: object) -> str:
    if isinstance(value, datetime.date):
        return f'<c r="{reference}" s="1"><v>{(value - EXCEL_EPOCH).days}</v></c>'
    if isinstance(value, int | float):
        return f'<c r="{reference}"><v>{value!r}</v></c>'
    return f'<c r="{reference}" t="inlineStr"><is><t>{escape(str(value))}</t></is></c>'


def _column(index: int) -> str:
    return "ABCDEFGHIJKLMNOPQRSTUVWXYZ"[index]


def as_xlsx(rows: list[list], title: str = "店铺整体日报") -> bytes:
    """A minimal workbook as Excel writes it: one sheet, dates styled with number format 14."""
    sheet = io.StringIO()
    sheet.write('<?xml version="1.0" encoding="UTF-8"?>')
    sheet.write('<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>')
    for number, row in enumerate([[title], [], HEADER, *rows], start=1):
        cells = "".join(_cell(f"{_column(index)}{number}", value) for index, value in enumerate(row))
        sheet.write(f'<row r="{number}">{cells}</row>')
    sheet.write("</sheetData></worksheet>")
    main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    relationships = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    package = "http://schemas.openxmlformats.org/package/2006"
    members = {
        "[Content_Types].xml": (
            f'<?xml version="1.0" encoding="UTF-8"?><Types xmlns="{package}/content-types">'
            '<Default Extension="rels" '
            'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            '<Override PartName="/xl/worksheets/sheet1.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
            '<Override PartName="/xl/styles.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/></Types>'
        ),
        "_rels/.rels": (
            f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{package}/relationships">'
            f'<Relationship Id="rId1" Type="{relationships}/officeDocument" Target="xl/workbook.xml"/>'
            "</Relationships>"
        ),
        "xl/workbook.xml": (
            f'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{main}" xmlns:r="{relationships}">'
            '<sheets><sheet name="店铺整体" sheetId="1" r:id="rId1"/></sheets></workbook>'
        ),
        "xl/_rels/workbook.xml.rels": (
            f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{package}/relationships">'
            f'<Relationship Id="rId1" Type="{relationships}/worksheet" Target="worksheets/sheet1.xml"/>'
            f'<Relationship Id="rId2" Type="{relationships}/styles" Target="styles.xml"/></Relationships>'
        ),
        "xl/styles.xml": (
            f'<?xml version="1.0" encoding="UTF-8"?><styleSheet xmlns="{main}">'
            '<fonts count="1"><font/></fonts><fills count="1"><fill/></fills>'
            '<borders count="1"><border/></borders>'
            '<cellStyleXfs count="1"><xf/></cellStyleXfs>'
            '<cellXfs count="2"><xf numFmtId="0"/><xf numFmtId="14" applyNumberFormat="1"/></cellXfs>'
            "</styleSheet>"
        ),
        "xl/worksheets/sheet1.xml": sheet.getvalue(),
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in members.items():
            archive.writestr(name, text.encode())
    return buffer.getvalue()


def peak_rss_mb() -> float:
    """The process's peak resident memory. VmHWM (Linux) restarts at exec; ru_maxrss may not."""
    try:
        status = Path("/proc/self/status").read_text()
        return next(int(line.split()[1]) for line in status.splitlines() if line.startswith("VmHWM")) / 1024
    except (OSError, StopIteration):
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def parse(path: Path, repeat: int) -> None:
    """In a fresh process: parse one file, print its speed and the process's peak RSS."""
    import django

    django.setup()
    from stores.imports import parse_metrics_file

    content = path.read_bytes()
    baseline = peak_rss_mb()
    best, count = None, 0
    for _run in range(repeat):
        started = time.perf_counter()
        parsed = parse_metrics_file(content=content, file_name=path.name, max_rows=10**7)
        elapsed = time.perf_counter() - started
        best = elapsed if best is None else min(best, elapsed)
        assert parsed.ok, parsed.errors[:3]
        count = len(parsed.rows)
        del parsed
    peak = peak_rss_mb()
    print(
        f"{path.suffix[1:]:4}  {count:,} rows  {len(content) / 2**20:5.1f} MB  {best:5.2f} s  "
        f"{count / best:8,.0f} rows/s  peak RSS {peak:.0f} MB (before parsing {baseline:.0f} MB)"
    )


def main() -> None:
    arguments = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    arguments.add_argument("rows", nargs="?", type=int, default=100_000)
    arguments.add_argument("--repeat", type=int, default=3, help="runs per format; the best is shown")
    arguments.add_argument("--parse", type=Path, help=argparse.SUPPRESS)  # the child process
    options = arguments.parse_args()
    if options.parse:
        parse(options.parse, options.repeat)
        return
    rows = report_rows(options.rows)
    with tempfile.TemporaryDirectory() as folder:
        for suffix, write in ((".csv", as_csv), (".xlsx", as_xlsx)):
            path = Path(folder) / f"bench{suffix}"
            path.write_bytes(write(rows))
            child = [sys.executable, __file__, "--parse", str(path), "--repeat", str(options.repeat)]
            subprocess.run(child, check=True)


if __name__ == "__main__":
    main()
