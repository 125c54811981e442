"""Stored rollups (docs/metrics.md#rolling-up), the weekly commentary, and the record of rollup jobs.

A rollup row holds a period's sums of every counted and money metric and, for DSR, the value
of the period's last day that has one plus the period's minimum. Ratios are never stored:
they are recomputed from the sums (stores.metrics), so no average of daily rates can appear.
"""

import datetime as dt

from django.db import models
from django.utils.functional import cached_property
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from reports import alerts
from stores import metrics
from stores.metrics import Kind
from stores.models import Organisation, Store, person_field
from stores.periods import KIND_LABELS, PeriodKind

SUMMED_CODES: tuple[str, ...] = tuple(m.code for m in metrics.RECORDED if m.kind is not Kind.SCORE)
SCORE_CODES: tuple[str, ...] = tuple(m.code for m in metrics.RECORDED if m.kind is Kind.SCORE)
# Every value column of a rollup row, in table order.
VALUE_COLUMNS: tuple[str, ...] = (
    "store_days",
    *SUMMED_CODES,
    *SCORE_CODES,
    *(f"{code}_min" for code in SCORE_CODES),
)

PERIOD_CHOICES = [(kind.value, KIND_LABELS[kind]) for kind in PeriodKind]


def _sum(code: str) -> models.Field:
    label = metrics.BY_CODE[code].label
    if metrics.BY_CODE[code].kind is Kind.MONEY:
        return models.DecimalField(label, max_digits=18, decimal_places=2, null=True, blank=True)
    return models.BigIntegerField(label, null=True, blank=True)


def _score(code: str, *, minimum: bool = False) -> models.DecimalField:
    label = metrics.BY_CODE[code].label
    return models.DecimalField(
        format_lazy("{} ({})", label, _("lowest")) if minimum else label,
        max_digits=5,
        decimal_places=4,
        null=True,
        blank=True,
    )


class Rollup(models.Model):
    kind = models.CharField(_("period"), max_length=7, choices=PERIOD_CHOICES)
    period_start = models.DateField(_("first day"))
    period_end = models.DateField(_("last day"))
    # Store-days with a row: a store's number of recorded days, or their sum over the stores.
    store_days = models.PositiveIntegerField(_("store-days recorded"))
    # Sums over the period, under the metric's own code (uv is visitor-days, not unique visitors).
    uv = _sum("uv")
    pv = _sum("pv")
    paid_buyers = _sum("paid_buyers")
    paid_orders = _sum("paid_orders")
    paid_items = _sum("paid_items")
    gmv = _sum("gmv")
    refund_amount = _sum("refund_amount")
    ad_spend = _sum("ad_spend")
    ad_gmv = _sum("ad_gmv")
    new_buyers = _sum("new_buyers")
    returning_buyers = _sum("returning_buyers")
    cs_inquiries = _sum("cs_inquiries")
    cs_inquiry_buyers = _sum("cs_inquiry_buyers")
    bad_reviews = _sum("bad_reviews")
    # DSR: the last recorded score of the period, and the period's lowest.
    dsr_item = _score("dsr_item")
    dsr_service = _score("dsr_service")
    dsr_logistics = _score("dsr_logistics")
    dsr_item_min = _score("dsr_item", minimum=True)
    dsr_service_min = _score("dsr_service", minimum=True)
    dsr_logistics_min = _score("dsr_logistics", minimum=True)
    computed_at = models.DateTimeField(_("computed at"))

    class Meta:
        abstract = True

    def values(self) -> dict[str, object]:
        """Every recorded code (sums and last DSR) plus every derived one, from the sums."""
        return metrics.with_derived({code: getattr(self, code) for code in metrics.RECORDED_CODES})


class StoreRollup(Rollup):
    """One store's numbers for one day, ISO week, month, quarter or year."""

    store = models.ForeignKey(
        Store, on_delete=models.CASCADE, related_name="rollups", verbose_name=_("store")
    )

    class Meta:
        verbose_name = _("store rollup")
        verbose_name_plural = _("store rollups")
        constraints = [
            models.UniqueConstraint(
                fields=["store", "kind", "period_start"], name="store_rollup_one_per_period"
            )
        ]

    def __str__(self) -> str:
        return f"{self.store} {self.kind} {self.period_start}"


class OrganisationRollup(Rollup):
    """All stores of an organisation together. Its DSR is the lowest store's: a total has no
    score of its own, and the weakest store is the one to look at."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="rollups", verbose_name=_("organisation")
    )

    class Meta:
        verbose_name = _("organisation rollup")
        verbose_name_plural = _("organisation rollups")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "kind", "period_start"], name="organisation_rollup_one_per_period"
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation} {self.kind} {self.period_start}"


class RollupRun(models.Model):
    """One rollup job for one store (or an organisation's totals): what the job-status page shows."""

    class Trigger(models.TextChoices):
        NIGHTLY = "nightly", _("Nightly")
        CHANGE = "change", _("Data changed")
        RERUN = "rerun", _("Re-run by hand")

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    UNFINISHED = (Status.QUEUED, Status.RUNNING)

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="rollup_runs", verbose_name=_("organisation")
    )
    # Empty for the job that sums an organisation's stores.
    store = models.ForeignKey(
        Store,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="rollup_runs",
        verbose_name=_("store"),
    )
    trigger = models.CharField(_("trigger"), max_length=8, choices=Trigger.choices)
    # Runs queued together (one night, one change of several stores): the last store to finish
    # queues the organisation's totals run of the same batch.
    batch = models.CharField(_("batch"), max_length=50, blank=True)
    # The days a run covers when they are not every day from first_day to last_day (ISO dates).
    days = models.JSONField(_("days"), default=list, blank=True)
    first_day = models.DateField(_("from"))
    last_day = models.DateField(_("to"))
    status = models.CharField(_("status"), max_length=8, choices=Status.choices, default=Status.QUEUED)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    error = models.TextField(_("error"), blank=True)
    queued_at = models.DateTimeField(_("queued at"), auto_now_add=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    requested_by = person_field(_("requested by"))

    class Meta:
        verbose_name = _("rollup run")
        verbose_name_plural = _("rollup runs")
        indexes = [
            # The job-status page: an organisation's runs of the last days.
            models.Index(fields=["organisation", "queued_at"], name="rollup_run_recent"),
            models.Index(fields=["batch", "status"], name="rollup_run_batch"),
            # Pages ask on every view whether some of their figures wait for a rollup.
            models.Index(
                fields=["organisation", "store"],
                name="rollup_run_unfinished",
                condition=models.Q(status__in=["queued", "running"]),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.store or self.organisation} {self.trigger} {self.first_day}…{self.last_day}"


class WeeklyCommentary(models.Model):
    """The ops lead's words on one ISO week of one organisation, shown to the boss."""

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="weekly_commentaries",
        verbose_name=_("organisation"),
    )
    week_start = models.DateField(_("week (Monday)"))
    wins = models.TextField(_("wins"), blank=True)
    problems = models.TextField(_("problems"), blank=True)
    next_week_plan = models.TextField(_("plan for next week"), blank=True)
    updated_by = person_field(_("written by"))
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("weekly commentary")
        verbose_name_plural = _("weekly commentaries")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "week_start"], name="weekly_commentary_one_per_week"
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation} {self.week_start}"

    @property
    def is_empty(self) -> bool:
        return not (self.wins or self.problems or self.next_week_plan)


class WeeklyEmail(models.Model):
    """A weekly report sent to an organisation: sending again for the same week is a no-op."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="weekly_emails", verbose_name=_("organisation")
    )
    week_start = models.DateField(_("week (Monday)"))
    recipients = models.JSONField(_("recipients"), default=list)
    sent_at = models.DateTimeField(_("sent at"), auto_now_add=True)

    class Meta:
        verbose_name = _("weekly report email")
        verbose_name_plural = _("weekly report emails")
        constraints = [
            models.UniqueConstraint(fields=["organisation", "week_start"], name="weekly_email_one_per_week")
        ]

    def __str__(self) -> str:
        return f"{self.organisation} {self.week_start}"


class AlertThreshold(models.Model):
    """A store's own threshold for an alert rule, instead of settings.ALERT_THRESHOLDS."""

    store = models.ForeignKey(
        Store, on_delete=models.CASCADE, related_name="alert_thresholds", verbose_name=_("store")
    )
    name = models.CharField(_("threshold"), max_length=30)
    value = models.DecimalField(
        _("value"), max_digits=14, decimal_places=4, null=True, blank=True, help_text=_("Empty: rule off.")
    )

    class Meta:
        verbose_name = _("alert threshold")
        verbose_name_plural = _("alert thresholds")
        constraints = [
            models.UniqueConstraint(fields=["store", "name"], name="alert_threshold_one_per_store")
        ]

    def __str__(self) -> str:
        return f"{self.store} {self.name}={self.value}"


class Alert(models.Model):
    """Something about one store and one day that needs the ops lead's attention.

    One per rule, store and day: evaluating again updates it (or resolves it when the numbers no
    longer say so), never adds a second one.
    """

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        ACKNOWLEDGED = "acknowledged", _("Acknowledged")
        RESOLVED = "resolved", _("Resolved")

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="alerts", verbose_name=_("organisation")
    )
    store = models.ForeignKey(Store, on_delete=models.CASCADE, related_name="alerts", verbose_name=_("store"))
    rule = models.CharField(_("rule"), max_length=30)
    day = models.DateField(_("day"))
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.OPEN)
    value = models.DecimalField(_("value"), max_digits=18, decimal_places=6, null=True, blank=True)
    threshold = models.DecimalField(_("threshold"), max_digits=18, decimal_places=6, null=True, blank=True)
    detail = models.JSONField(_("detail"), default=dict, blank=True)
    raised_at = models.DateTimeField(_("raised at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)
    acknowledged_by = person_field(_("acknowledged by"))
    acknowledged_at = models.DateTimeField(_("acknowledged at"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("alert")
        verbose_name_plural = _("alerts")
        ordering = ["-day", "store", "rule"]
        constraints = [
            models.UniqueConstraint(fields=["store", "rule", "day"], name="alert_one_per_rule_store_day")
        ]
        indexes = [
            models.Index(fields=["organisation", "-day"], name="alert_by_organisation_day"),
            # A store's alerts of the last days (the dashboard, every visit), not its whole history.
            models.Index(fields=["store", "day"], name="alert_by_store_day"),
        ]

    def __str__(self) -> str:
        return f"{self.store} {self.rule} {self.day}"

    @cached_property
    def text(self) -> str:
        """The alert as one line, in the current language (reports.alerts.shown): worked out once
        per alert read, which a page may show twice (its store's card and the list)."""
        return alerts.shown(self.rule, self.value, self.threshold, self.detail)


WEEKLY_EMAIL_TIME = dt.time(9, 0)  # Monday, Asia/Shanghai, unless the organisation sets another


class WeeklyEmailSettings(models.Model):
    """An organisation's weekly report email: on or off, who gets it besides its bosses and ops
    leads, and the time on Monday (TIME_ZONE, Asia/Shanghai) it goes. Without a row: on, nobody
    extra, 09:00."""

    organisation = models.OneToOneField(
        Organisation,
        on_delete=models.CASCADE,
        related_name="weekly_email_settings",
        verbose_name=_("organisation"),
    )
    enabled = models.BooleanField(_("send the weekly email"), default=True)
    # Addresses besides the organisation's active bosses and ops leads (weekly_report_recipients).
    extra_recipients = models.JSONField(_("other recipients"), default=list, blank=True)
    send_time = models.TimeField(_("send time (Monday)"), default=WEEKLY_EMAIL_TIME)
    updated_by = person_field(_("changed by"))
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("weekly email settings")
        verbose_name_plural = _("weekly email settings")

    def __str__(self) -> str:
        return str(self.organisation)
