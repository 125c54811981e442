"""KPI scorecards (docs/kpis.md): each role's template of items, a person's own values for an item,
and the scores of each person, role and ISO week or month, with the definition they were computed
with and, once the month is closed, frozen.
"""

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from stores.models import Organisation, StoreRole

LEAD_ROLE = "lead"
ROLE_CHOICES = [(LEAD_ROLE, _("Operations lead (运营负责人)")), *StoreRole.choices]
KIND_CHOICES = [("week", _("week")), ("month", _("month"))]
TARGET = {"max_digits": 18, "decimal_places": 4, "null": True, "blank": True}
FRACTION = {"max_digits": 7, "decimal_places": 4}


class Direction(models.TextChoices):
    HIGHER = "higher", _("higher is better")
    LOWER = "lower", _("lower is better")
    BAND = "band", _("within a band")


class KpiTemplate(models.Model):
    """A role's KPI items in an organisation: it applies to everyone holding the role."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="kpi_templates", verbose_name=_("organisation")
    )
    role = models.CharField(_("role"), max_length=20, choices=ROLE_CHOICES)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("KPI template")
        verbose_name_plural = _("KPI templates")
        constraints = [models.UniqueConstraint(fields=["organisation", "role"], name="kpi_template_role")]

    def __str__(self) -> str:
        return f"{self.organisation} {self.get_role_display()}"


class KpiItem(models.Model):
    """One item of a template: where its actual comes from, its targets, direction and weight."""

    template = models.ForeignKey(KpiTemplate, on_delete=models.CASCADE, related_name="items")
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    code = models.SlugField(_("code"), max_length=40)
    label = models.CharField(_("label"), max_length=100)
    # A metric code (stores.metrics), or target_attainment, checklist_completion, daily_report_rate, manual.
    source = models.CharField(_("source"), max_length=30)
    direction = models.CharField(
        _("direction"), max_length=10, choices=Direction.choices, default=Direction.HIGHER
    )
    week_target = models.DecimalField(_("target for a week"), **TARGET)
    month_target = models.DecimalField(_("target for a month"), **TARGET)
    band_low = models.DecimalField(_("band from"), **TARGET)
    band_high = models.DecimalField(_("band to"), **TARGET)
    weight = models.DecimalField(
        _("weight (%)"), max_digits=5, decimal_places=2, validators=[MinValueValidator(0)]
    )
    floor = models.DecimalField(_("floor (attainment below it scores 0)"), **FRACTION, null=True, blank=True)
    cap = models.DecimalField(_("cap"), **FRACTION, default="1.2000")

    class Meta:
        verbose_name = _("KPI item")
        verbose_name_plural = _("KPI items")
        ordering = ["template", "position", "pk"]
        constraints = [models.UniqueConstraint(fields=["template", "code"], name="kpi_item_code")]

    def __str__(self) -> str:
        return self.label


class KpiPersonValue(models.Model):
    """A person's own values for one item of their role's template (shown as their own)."""

    item = models.ForeignKey(KpiItem, on_delete=models.CASCADE, related_name="person_values")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    week_target = models.DecimalField(_("target for a week"), **TARGET)
    month_target = models.DecimalField(_("target for a month"), **TARGET)
    weight = models.DecimalField(_("weight (%)"), max_digits=5, decimal_places=2, null=True, blank=True)

    class Meta:
        verbose_name = _("person's KPI value")
        verbose_name_plural = _("persons' KPI values")
        constraints = [models.UniqueConstraint(fields=["item", "user"], name="kpi_person_value")]

    def __str__(self) -> str:
        return f"{self.item} {self.user}"


class ManualScore(models.Model):
    """The ops lead's score of a manual item for one person and period, with a comment."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    role = models.CharField(_("role"), max_length=20, choices=ROLE_CHOICES)
    item_code = models.SlugField(_("item"), max_length=40)
    kind = models.CharField(_("period"), max_length=5, choices=KIND_CHOICES)
    period_start = models.DateField(_("first day"))
    attainment = models.DecimalField(_("attainment"), **FRACTION, validators=[MinValueValidator(0)])
    comment = models.TextField(_("comment"), blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    entered_at = models.DateTimeField(_("entered at"), auto_now=True)

    class Meta:
        verbose_name = _("manual KPI score")
        verbose_name_plural = _("manual KPI scores")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "role", "item_code", "kind", "period_start"], name="manual_score_period"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} {self.item_code} {self.period_start}"


class KpiScore(models.Model):
    """A person's score in one role for one ISO week or month.

    `definition` is the template as it was when the score was first computed (with the person's own
    values): recomputing the period uses it again, so a changed template applies from the next
    period. `items` are the item rows (actual, target, attainment, capped, weight, points) and `total`
    the score. Once the month is closed they are frozen; what the numbers give after that is kept in
    `latest_items` / `latest_total`, shown as "the numbers changed after closing".
    """

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="kpi_scores")
    role = models.CharField(_("role"), max_length=20, choices=ROLE_CHOICES)
    kind = models.CharField(_("period"), max_length=5, choices=KIND_CHOICES)
    period_start = models.DateField(_("first day"))
    period_end = models.DateField(_("last day"))
    stores = models.JSONField(_("stores"), default=list)  # the slugs the role was held in
    definition = models.JSONField(_("definition"), default=list)
    items = models.JSONField(_("items"), default=list)
    total = models.DecimalField(_("score"), max_digits=7, decimal_places=2, null=True, blank=True)
    provisional = models.BooleanField(_("provisional"), default=True)
    closed = models.BooleanField(_("closed"), default=False)
    latest_items = models.JSONField(null=True, blank=True)
    latest_total = models.DecimalField(max_digits=7, decimal_places=2, null=True, blank=True)
    computed_at = models.DateTimeField(_("computed at"))

    class Meta:
        verbose_name = _("KPI score")
        verbose_name_plural = _("KPI scores")
        constraints = [
            models.UniqueConstraint(fields=["user", "role", "kind", "period_start"], name="kpi_score_period")
        ]
        indexes = [models.Index(fields=["organisation", "kind", "period_start"], name="kpi_score_org_period")]

    def __str__(self) -> str:
        return f"{self.user} {self.role} {self.period_start}"


class MonthClose(models.Model):
    """A closed month of an organisation: its scores are frozen. Reopening needs a reason; every
    close and reopen is kept in `events`."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    month_start = models.DateField(_("month"))
    closed = models.BooleanField(_("closed"), default=True)
    # [{"action": "close"|"reopen", "at": ISO time, "by": username or null, "reason": text}, …]
    events = models.JSONField(_("history"), default=list)

    class Meta:
        verbose_name = _("closed month")
        verbose_name_plural = _("closed months")
        constraints = [
            models.UniqueConstraint(fields=["organisation", "month_start"], name="month_close_month")
        ]

    def __str__(self) -> str:
        return f"{self.organisation} {self.month_start:%Y-%m}"
