"""Why GMV moved: GMV = UV × conversion × AOV, split into each factor's contribution.

Log-mean Divisia (LMDI-I): with L(a, b) = (a − b) / (ln a − ln b), factor x contributes
L(GMV₁, GMV₀) · ln(x₁ / x₀). Because ln GMV = ln UV + ln conversion + ln AOV, the three
contributions add up to GMV₁ − GMV₀ exactly, with no residual. Shown in cents and in
percent of the comparison GMV, each rounded so that the parts still add up to the whole.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import ROUND_FLOOR, ROUND_HALF_UP, Decimal, localcontext

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

FACTORS = (
    ("traffic", gettext_lazy("traffic")),
    ("conversion", gettext_lazy("conversion")),
    ("aov", gettext_lazy("AOV")),
)
LABELS = dict(FACTORS)
CENT = Decimal("0.01")
TENTH = Decimal("0.1")


@dataclass(frozen=True)
class Contribution:
    code: str
    amount: Decimal  # CNY, rounded to the cent
    percent: Decimal  # of the comparison GMV, 1 decimal

    @property
    def label(self) -> str:
        """The factor's name in the current language (chart axes, tables)."""
        return str(LABELS[self.code])


@dataclass(frozen=True)
class GmvDecomposition:
    gmv_before: Decimal
    gmv_now: Decimal
    change: Decimal
    change_percent: Decimal
    contributions: tuple[Contribution, ...]

    def sentence(self) -> str:
        """ "GMV −12.4 %: traffic −3.1 %, conversion −10.2 %, AOV +0.9 %"."""
        percents = {part.code: signed_percent(part.percent) for part in self.contributions}
        return _("GMV %(change)s: traffic %(traffic)s, conversion %(conversion)s, AOV %(aov)s") % {
            "change": signed_percent(self.change_percent),
            **percents,
        }


def signed_percent(value: Decimal) -> str:
    sign = "+" if value > 0 else "−" if value < 0 else "±"
    return f"{sign}{abs(value)} %"


def _log_mean(a: Decimal, b: Decimal) -> Decimal:
    """L(a, b) = (a − b) / (ln a − ln b), with ln a − ln b taken as the one logarithm ln(a / b)."""
    return a if a == b else (a - b) / (a / b).ln()


# What a side's factors are computed from.
DECOMPOSITION_CODES = ("gmv", "uv", "paid_buyers")


def factors(values: Mapping[str, object]) -> dict[str, Decimal] | None:
    """UV, conversion and AOV of one side; None unless GMV, UV and buyers are all positive."""
    parts = [values.get(code) for code in DECOMPOSITION_CODES]
    if any(part is None or Decimal(part) <= 0 for part in parts):
        return None
    gmv, uv, buyers = (Decimal(part) for part in parts)
    return {"traffic": uv, "conversion": buyers / uv, "aov": gmv / buyers}


def gmv_decomposition(now: Mapping[str, object], before: Mapping[str, object]) -> GmvDecomposition | None:
    """The contributions of traffic, conversion and AOV to the GMV change from `before` to
    `now`; None when either side lacks a positive GMV, UV or buyer count (no logarithm)."""
    factors_now, factors_before = factors(now), factors(before)
    if factors_now is None or factors_before is None:
        return None
    gmv_now, gmv_before = Decimal(now["gmv"]), Decimal(before["gmv"])
    with localcontext() as context:
        # 28 significant digits (Decimal's default): cents exact for any amount below 10^25.
        context.prec = 28
        weight = _log_mean(gmv_now, gmv_before)
        exact = [weight * (factors_now[code] / factors_before[code]).ln() for code, _label in FACTORS]
        change = gmv_now - gmv_before
        amounts = parts_rounded(exact, total=change, step=CENT)
        percents = parts_rounded(
            [part / gmv_before * 100 for part in exact],
            total=(change / gmv_before * 100).quantize(TENTH, rounding=ROUND_HALF_UP),
            step=TENTH,
        )
    return GmvDecomposition(
        gmv_before=gmv_before,
        gmv_now=gmv_now,
        change=change,
        change_percent=sum(percents, Decimal(0)),
        contributions=tuple(
            Contribution(code=code, amount=amount, percent=percent)
            for (code, _label), amount, percent in zip(FACTORS, amounts, percents, strict=True)
        ),
    )


def parts_rounded(exact: list[Decimal], *, total: Decimal, step: Decimal) -> list[Decimal]:
    """Round each part to `step` so the parts sum to `total` (itself a multiple of `step`):
    round every part down, then hand the steps left over to the largest remainders."""
    floors = [(part / step).to_integral_value(rounding=ROUND_FLOOR) * step for part in exact]
    leftover = int(((total - sum(floors, Decimal(0))) / step).to_integral_value())
    by_remainder = sorted(range(len(exact)), key=lambda index: exact[index] - floors[index], reverse=True)
    for index in by_remainder[: max(leftover, 0)]:
        floors[index] += step
    return [value.quantize(step) for value in floors]
