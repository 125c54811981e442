"""Sales targets (docs/targets.md): a store's annual target allocated to every day of its financial
year, the changes made to it, and the trading calendar the plan is weighted by.

The day is the unit: a plan is its PlanDay rows, and every week, month, quarter, half and the year
is the sum of its days (kpi.allocation), so every level adds up to the cent.
"""

from decimal import Decimal

import chinese_calendar
from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from stores.models import Organisation, Store

MONEY = {"max_digits": 16, "decimal_places": 2}
PERCENT = {"max_digits": 6, "decimal_places": 2, "null": True, "blank": True}
UPLIFT = {"max_digits": 6, "decimal_places": 2, "validators": [MinValueValidator(Decimal("0.01"))]}
HUNDRED = Decimal(100)


class PlanSettings(models.Model):
    """An organisation's planning settings: the month its financial year starts in."""

    organisation = models.OneToOneField(
        Organisation, on_delete=models.CASCADE, related_name="plan_settings", verbose_name=_("organisation")
    )
    first_month = models.PositiveSmallIntegerField(
        _("financial year starts in month"),
        default=1,
        validators=[MinValueValidator(1), MaxValueValidator(12)],
        help_text=_("1 = January. Plans made before a change keep the months they were made with."),
    )

    class Meta:
        verbose_name = _("planning settings")
        verbose_name_plural = _("planning settings")

    def __str__(self) -> str:
        return str(self.organisation)


class OrganisationTarget(models.Model):
    """An optional number for the whole organisation, shown beside the sum of its stores' plans."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="targets", verbose_name=_("organisation")
    )
    year = models.PositiveSmallIntegerField(_("financial year"))
    annual = models.DecimalField(_("annual target"), **MONEY, validators=[MinValueValidator(0)])

    class Meta:
        verbose_name = _("organisation target")
        verbose_name_plural = _("organisation targets")
        constraints = [
            models.UniqueConstraint(fields=["organisation", "year"], name="organisation_target_year")
        ]

    def __str__(self) -> str:
        return f"{self.organisation} {self.year}"


class SalesTarget(models.Model):
    """A store's target for one financial year, and the version its day plan is at."""

    store = models.ForeignKey(
        Store, on_delete=models.CASCADE, related_name="targets", verbose_name=_("store")
    )
    year = models.PositiveSmallIntegerField(
        _("financial year"), help_text=_("Named by the year it starts in.")
    )
    first_month = models.PositiveSmallIntegerField(_("first month"), default=1)
    first_day = models.DateField(_("first day"))
    last_day = models.DateField(_("last day"))
    annual = models.DecimalField(_("annual target"), **MONEY, validators=[MinValueValidator(0)])
    floor_percent = models.DecimalField(_("floor (保底) %"), **PERCENT, validators=[MinValueValidator(0)])
    stretch_percent = models.DecimalField(_("stretch (冲刺) %"), **PERCENT, validators=[MinValueValidator(0)])
    # Every change adds one; a save that read an older version is refused (two people editing).
    version = models.PositiveIntegerField(_("version"), default=1)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("sales target")
        verbose_name_plural = _("sales targets")
        constraints = [models.UniqueConstraint(fields=["store", "year"], name="sales_target_store_year")]

    def __str__(self) -> str:
        return f"{self.store} {self.label}"

    @property
    def label(self) -> str:
        return str(self.year) if self.first_month == 1 else f"FY{self.year}"

    @property
    def floor(self) -> Decimal | None:
        """保底 in ¥."""
        return _share(self.annual, self.floor_percent)

    @property
    def stretch(self) -> Decimal | None:
        """冲刺 in ¥."""
        return _share(self.annual, self.stretch_percent)


def _share(amount: Decimal, percent: Decimal | None) -> Decimal | None:
    return None if percent is None else (amount * percent / HUNDRED).quantize(Decimal("0.01"))


class DaySource(models.TextChoices):
    HISTORY = "history", _("last year's sales on the matching day")
    DEFAULT = "default", _("default shape")
    OVERRIDE = "override", _("set by an override")


class PlanDay(models.Model):
    """One day of a plan: its target, the weight it was allocated by, and whether a lock holds it."""

    plan = models.ForeignKey(
        SalesTarget, on_delete=models.CASCADE, related_name="days", verbose_name=_("plan")
    )
    # The plan's store, kept on the day too so that pacing reads days by store and date alone.
    store = models.ForeignKey(Store, on_delete=models.CASCADE, related_name="+", verbose_name=_("store"))
    date = models.DateField(_("date"))
    target = models.DecimalField(_("target"), max_digits=14, decimal_places=2)
    weight = models.DecimalField(_("weight"), max_digits=20, decimal_places=4)
    source = models.CharField(_("source"), max_length=10, choices=DaySource.choices)
    locked = models.BooleanField(_("locked"), default=False)

    class Meta:
        verbose_name = _("plan day")
        verbose_name_plural = _("plan days")
        constraints = [
            models.UniqueConstraint(fields=["plan", "date"], name="plan_day_date"),
            models.CheckConstraint(condition=models.Q(target__gte=0), name="plan_day_target_not_negative"),
        ]
        indexes = [models.Index(fields=["store", "date"], name="plan_day_store_date")]

    def __str__(self) -> str:
        return f"{self.date} {self.target}"


class PlanLock(models.Model):
    """A period whose total no later change may move."""

    plan = models.ForeignKey(
        SalesTarget, on_delete=models.CASCADE, related_name="locks", verbose_name=_("plan")
    )
    label = models.CharField(_("period"), max_length=12)
    start = models.DateField(_("first day"))
    end = models.DateField(_("last day"))

    class Meta:
        verbose_name = _("lock")
        verbose_name_plural = _("locks")
        ordering = ["start"]
        constraints = [models.UniqueConstraint(fields=["plan", "label"], name="plan_lock_period")]

    def __str__(self) -> str:
        return self.label


class PlanChange(models.Model):
    """One version of a plan: who changed what, when and why, with each month before and after."""

    class Kind(models.TextChoices):
        CREATED = "created", _("plan made")
        ANNUAL = "annual", _("annual target changed")
        OVERRIDE = "override", _("period set")
        LOCK = "lock", _("period locked")
        UNLOCK = "unlock", _("period unlocked")
        IMPORT = "import", _("months imported")

    plan = models.ForeignKey(
        SalesTarget, on_delete=models.CASCADE, related_name="changes", verbose_name=_("plan")
    )
    version = models.PositiveIntegerField(_("version"))
    kind = models.CharField(_("change"), max_length=10, choices=Kind.choices)
    label = models.CharField(_("period"), max_length=12, blank=True)
    before = models.DecimalField(_("before"), **MONEY, null=True, blank=True)
    after = models.DecimalField(_("after"), **MONEY, null=True, blank=True)
    reason = models.TextField(_("reason"), blank=True)
    # [{"label": "2027-05", "before": "123.00", "after": "456.00"}, …] for every month that moved.
    months = models.JSONField(_("months"), default=list, blank=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("changed by"),
    )
    changed_at = models.DateTimeField(_("changed at"), auto_now_add=True)

    class Meta:
        verbose_name = _("plan change")
        verbose_name_plural = _("plan changes")
        ordering = ["-version"]
        constraints = [models.UniqueConstraint(fields=["plan", "version"], name="plan_change_version")]

    def __str__(self) -> str:
        return f"v{self.version} {self.label}"


class PromotionNode(models.Model):
    """One platform promotion (平台大促) of one year, with its phases: pre-sale from `presale_start`
    to the day before the peak, the peak, the return (返场) after it through `return_end`."""

    code = models.SlugField(_("code"), max_length=20, help_text=_("The same code every year: 1111, 618…"))
    name = models.CharField(_("name"), max_length=40)
    year = models.PositiveSmallIntegerField(_("year"))
    presale_start = models.DateField(_("pre-sale starts"))
    peak_start = models.DateField(_("peak starts"))
    peak_end = models.DateField(_("peak ends"))
    return_end = models.DateField(_("return ends"))
    presale_uplift = models.DecimalField(_("pre-sale uplift"), **UPLIFT)
    peak_uplift = models.DecimalField(_("peak uplift"), **UPLIFT)
    return_uplift = models.DecimalField(_("return uplift"), **UPLIFT)

    class Meta:
        verbose_name = _("promotion node")
        verbose_name_plural = _("promotion calendar")
        ordering = ["year", "peak_start"]
        constraints = [
            models.UniqueConstraint(fields=["code", "year"], name="promotion_node_year"),
            models.CheckConstraint(
                condition=models.Q(presale_start__lte=models.F("peak_start"))
                & models.Q(peak_start__lte=models.F("peak_end"))
                & models.Q(peak_end__lte=models.F("return_end")),
                name="promotion_node_phases_in_order",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} {self.year}"


HOLIDAY_CHOICES = [(holiday.value, holiday.value) for holiday in chinese_calendar.Holiday]


class HolidayDay(models.Model):
    """A day of the holiday table, used for the years `chinese_calendar` does not know yet: a day off
    for a public holiday, or a weekend day worked for one (调休)."""

    date = models.DateField(_("date"), unique=True)
    name = models.CharField(_("holiday"), max_length=40, choices=HOLIDAY_CHOICES)
    day_off = models.BooleanField(
        _("day off"), default=True, help_text=_("Untick for a make-up working day (调休).")
    )

    class Meta:
        verbose_name = _("holiday")
        verbose_name_plural = _("holiday table")
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date} {self.name}"
