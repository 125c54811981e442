"""Files as 生意参谋 exports them, written by the tests: CSV in any encoding, real .xlsx
workbooks (openpyxl), and broken files (zip bombs, old Office files, images)."""

import csv
import datetime
import io
import struct
import zipfile
import zlib
from collections.abc import Iterable, Sequence
from decimal import Decimal

import openpyxl

# The typical header of a store daily report (docs/imports.md#a-typical-export).
HEADER = [
    "统计日期",
    "店铺名称",
    "访客数",
    "浏览量",
    "支付金额",
    "支付买家数",
    "支付转化率",
    "客单价",
    "支付新买家数",
    "支付老买家数",
    "成功退款金额",
    "关键词推广花费",
    "精准人群推广花费",
    "全站推广花费",
    "淘宝客佣金",
    "描述相符评分",
    "物流服务评分",
    "服务态度评分",
]
TITLE_ROWS = [["店铺整体日报"], ["统计时间：2026-11-01 ~ 2026-11-07"], []]


def report_row(day: datetime.date, store: str = "A店", **changes) -> list:
    """One consistent row under HEADER: conversion = 50 / 2000 = 2.50 %, AOV = 9000 / 50."""
    values = {
        "统计日期": day.isoformat(),
        "店铺名称": store,
        "访客数": "2000",
        "浏览量": "7000",
        "支付金额": "9,000.00",
        "支付买家数": "50",
        "支付转化率": "2.50%",
        "客单价": "180.00",
        "支付新买家数": "38",
        "支付老买家数": "12",
        "成功退款金额": "450.00",
        "关键词推广花费": "700.00",
        "精准人群推广花费": "300.50",
        "全站推广花费": "199.50",
        "淘宝客佣金": "-",
        "描述相符评分": "4.8512",
        "物流服务评分": "4.9",
        "服务态度评分": "4.85",
    }
    values.update(changes)
    return [values[header] for header in HEADER]


def csv_bytes(
    rows: Iterable[Sequence[object]], *, encoding: str = "utf-8-sig", delimiter: str = ","
) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    return buffer.getvalue().encode(encoding)


def xlsx_bytes(sheets: dict[str, Iterable[Sequence[object]]], *, hidden: Sequence[str] = ()) -> bytes:
    """A workbook with one sheet per entry, in order; dates become Excel date cells."""
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    for name, rows in sheets.items():
        sheet = workbook.create_sheet(name)
        for row in rows:
            sheet.append([float(cell) if isinstance(cell, Decimal) else cell for cell in row])
        if name in hidden:
            sheet.sheet_state = "hidden"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def zip_bytes(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def zeros_bomb(megabytes: int) -> bytes:
    """An .xlsx-looking zip whose sheet is `megabytes` MB of zeros, deflated about 1000:1.

    The deflate stream is made from one compressed block repeated, so even 300 MB costs
    milliseconds to build."""
    block = 1024 * 1024
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    first = compressor.compress(b"\0" * block) + compressor.flush(zlib.Z_FULL_FLUSH)
    repeated = compressor.compress(b"\0" * block) + compressor.flush(zlib.Z_FULL_FLUSH)
    stream = first + repeated * (megabytes - 2) + compressor.compress(b"\0" * block) + compressor.flush()
    # The CRC is left 0: the file must be refused before anything is unpacked.
    return _zip_raw(
        "xl/worksheets/sheet1.xml", stream, megabytes * block, 0, extra={"xl/workbook.xml": b"<x/>"}
    )


def with_declared_size(content: bytes, member: str, size: int) -> bytes:
    """The zip with `member`'s uncompressed size rewritten (a lying header)."""
    data = bytearray(content)
    name = member.encode()
    for signature, size_at, name_length_at, name_at in (
        (b"PK\x03\x04", 22, 26, 30),
        (b"PK\x01\x02", 24, 28, 46),
    ):
        start = data.find(signature)
        while start != -1:
            length = struct.unpack_from("<H", data, start + name_length_at)[0]
            if data[start + name_at : start + name_at + length] == name:
                struct.pack_into("<I", data, start + size_at, size)
            start = data.find(signature, start + 4)
    return bytes(data)


def _zip_raw(name: str, stream: bytes, size: int, crc: int, extra: dict[str, bytes]) -> bytes:
    """A zip holding an already deflated member (plus small stored ones), written by hand."""
    out = bytearray()
    central = bytearray()
    entries = [(name.encode(), stream, size, crc, 8)]
    entries += [(other.encode(), data, len(data), zlib.crc32(data), 0) for other, data in extra.items()]
    for encoded, data, length, checksum, method in entries:
        offset = len(out)
        out += struct.pack(
            "<4sHHHHHIIIHH", b"PK\x03\x04", 20, 0, method, 0, 0, checksum, len(data), length, len(encoded), 0
        )
        out += encoded + data
        central += struct.pack(
            "<4sHHHHHHIIIHHHHHII",
            b"PK\x01\x02",
            20,
            20,
            0,
            method,
            0,
            0,
            checksum,
            len(data),
            length,
            len(encoded),
            0,
            0,
            0,
            0,
            0,
            offset,
        )
        central += encoded
    end = struct.pack(
        "<4sHHHHIIH", b"PK\x05\x06", 0, 0, len(entries), len(entries), len(central), len(out), 0
    )
    return bytes(out + central + end)


OLE2_BYTES = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504
PNG_BYTES = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x06\0\0\0\x1f\x15\xc4\x89"
