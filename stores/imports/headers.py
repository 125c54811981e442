"""Column headers of a 生意参谋 export → canonical codes, through one synonym table.

A header maps to one *target*:
- ``date`` / ``store`` — the day and the store name (店铺名称) of a row;
- a recorded metric code of stores.metrics (``uv``, ``gmv`` …), stored by the import;
- ``ad_spend:<channel>`` — one paid-traffic channel (关键词推广花费 …), summed into ``ad_spend``;
- ``check:<derived code>`` — a derived metric (支付转化率 …), never stored, only cross-checked.

Recognised spellings: the 生意参谋 wording (``label_zh`` of the registry), the synonyms below,
the canonical English codes (so an OpsDesk export re-imports) and the metric labels in every
language of the site. Headers are compared after `normalise`.
"""

import functools
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.conf import settings
from django.utils import translation

from stores import metrics

DATE = "date"
STORE = "store"
AD_SPEND_PREFIX = "ad_spend:"
CHECK_PREFIX = "check:"

# Paid-traffic channels as 生意参谋 splits the spend: channel code → header
# (docs/imports.md#ad-spend-by-channel).
AD_SPEND_CHANNELS: dict[str, str] = {
    "keyword": "关键词推广花费",  # 直通车
    "audience": "精准人群推广花费",  # 引力魔方
    "site": "全站推广花费",  # 万相台 全站推
    "scene": "智能场景花费",  # 万相台 场景
    "affiliate": "淘宝客佣金",
}

# Spellings besides each metric's label_zh and code. Compared after `normalise`, so a
# trailing 评分 / (评分) / unit such as (元) and the letter case do not matter here.
SYNONYMS: dict[str, tuple[str, ...]] = {
    DATE: ("统计日期", "日期", "统计时间"),
    STORE: ("店铺名称", "店铺", "店铺名"),
    "gmv": ("成交金额",),
    "uv": ("UV",),
    "pv": ("PV",),
    "refund_amount": ("退款金额",),
    "ad_spend": ("花费", "推广花费"),
    "new_buyers": ("新买家数",),
    "returning_buyers": ("老买家数",),
    "dsr_item": ("描述相符",),
    "dsr_service": ("服务态度",),
    "dsr_logistics": ("物流服务",),
    "conversion": ("转化率",),
    "roi": ("ROI", "投入产出比ROI"),
}

_TRANSLATE = str.maketrans({"（": "(", "）": ")", "【": "(", "】": ")", "[": "(", "]": ")", "：": ":"})
_INVISIBLE = re.compile(r"[\s\ufeff\u200b\u200c\u200d\u2060]+")
# A trailing unit, (元) (%) (人) …, and a trailing 评分 / (评分).
_UNIT_SUFFIX = re.compile(r"\((?:元|%|人|个|件|笔|次|单)\)$")
_SCORE_SUFFIX = re.compile(r"(?:\(评分\)|评分)$")


def normalise(header: object) -> str:
    """The comparable form of a header: no spaces, half-width brackets, lower case, no unit."""
    text = unicodedata.normalize("NFKC", str(header)).translate(_TRANSLATE)
    text = _INVISIBLE.sub("", text).casefold()
    text = _UNIT_SUFFIX.sub("", text)
    return _SCORE_SUFFIX.sub("", text) or text


def channel_target(channel: str) -> str:
    return f"{AD_SPEND_PREFIX}{channel}"


def check_target(code: str) -> str:
    return f"{CHECK_PREFIX}{code}"


def _spellings() -> list[tuple[str, str]]:
    """(spelling, target) pairs, most authoritative first."""
    pairs: list[tuple[str, str]] = [(DATE, DATE), (STORE, STORE)]
    for metric in metrics.ALL:
        target = check_target(metric.code) if metric.is_derived else metric.code
        pairs += [(metric.label_zh, target), (metric.code, target)]
        pairs += [(spelling, target) for spelling in SYNONYMS.get(metric.code, ())]
    for target in (DATE, STORE):
        pairs += [(spelling, target) for spelling in SYNONYMS[target]]
    for channel, header in AD_SPEND_CHANNELS.items():
        pairs += [(header, channel_target(channel)), (channel_target(channel), channel_target(channel))]
    # The UI labels in every language last: a translation may never take a spelling above.
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            for metric in metrics.ALL:
                target = check_target(metric.code) if metric.is_derived else metric.code
                pairs.append((str(metric.label), target))
    return pairs


@functools.cache
def header_table() -> dict[str, str]:
    """Normalised spelling → target. Built once, on first use (translations must be ready)."""
    table: dict[str, str] = {}
    for spelling, target in _spellings():
        table.setdefault(normalise(spelling), target)
    return table


def match(header: object) -> str | None:
    """The target of one header cell, or None when the header is not understood."""
    if header is None:
        return None
    return header_table().get(normalise(header))


def is_metric_target(target: str) -> bool:
    """A column whose values are stored: a recorded metric or an ad-spend channel."""
    return target in metrics.RECORDED_CODES or target.startswith(AD_SPEND_PREFIX)


@dataclass
class HeaderRow:
    """One row read as a header: which column holds what."""

    columns: list[tuple[int, str, str]] = field(default_factory=list)  # (index, header as in file, target)
    ignored: list[str] = field(default_factory=list)

    @property
    def targets(self) -> set[str]:
        return {target for _index, _header, target in self.columns}

    @property
    def has_date(self) -> bool:
        return DATE in self.targets

    @property
    def has_metric(self) -> bool:
        return any(is_metric_target(target) for target in self.targets)

    @property
    def is_header(self) -> bool:
        return self.has_date and self.has_metric

    def index_of(self, target: str) -> int | None:
        return next((index for index, _header, found in self.columns if found == target), None)

    def duplicates(self) -> list[tuple[str, list[str]]]:
        """(target, headers) for every target that more than one column maps to."""
        by_target: dict[str, list[str]] = {}
        for _index, header, target in self.columns:
            by_target.setdefault(target, []).append(header)
        return [(target, found) for target, found in by_target.items() if len(found) > 1]


def read_header_row(cells: Sequence[object]) -> HeaderRow:
    row = HeaderRow()
    for index, cell in enumerate(cells):
        text = "" if cell is None else str(cell).strip()
        if not text:
            continue
        target = match(text)
        if target is None:
            row.ignored.append(text)
        else:
            row.columns.append((index, text, target))
    return row


@dataclass(frozen=True)
class HeaderSearch:
    """Where the header is in the first rows of a table, or why none was found."""

    index: int | None  # 0-based row index of the header
    header: HeaderRow | None
    metric_row_without_date: int | None = None  # 0-based index of a row with metric columns only
    date_row_without_metric: int | None = None  # 0-based index of a row with a date but no metric column
    recognised: int = 0  # columns recognised in the header (to compare CSV delimiters)


def find_header(rows: Sequence[Sequence[object]], limit: int) -> HeaderSearch:
    """The first of the first `limit` rows with a date column and at least one metric column."""
    metric_only = date_only = None
    for index, cells in enumerate(rows[:limit]):
        header = read_header_row(cells)
        if header.is_header:
            return HeaderSearch(index, header, metric_only, date_only, recognised=len(header.columns))
        if header.has_metric and metric_only is None:
            metric_only = index
        if header.has_date and date_only is None and len(header.columns) + len(header.ignored) > 1:
            date_only = index
    return HeaderSearch(None, None, metric_only, date_only)
