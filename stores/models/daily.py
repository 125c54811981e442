"""A store's recorded numbers per day, their imports and every change to them (docs/metrics.md)."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from stores import metrics
from stores.metrics import Kind
from stores.models.organisations import Organisation, Store, person_field


def _count(code: str) -> models.IntegerField:
    return models.IntegerField(metrics.BY_CODE[code].label, null=True, blank=True)


def _money(code: str) -> models.DecimalField:
    return models.DecimalField(
        metrics.BY_CODE[code].label, max_digits=14, decimal_places=2, null=True, blank=True
    )


def _score(code: str) -> models.DecimalField:
    # DSR as the platform shows it, up to 4 decimals (4.8512).
    return models.DecimalField(
        metrics.BY_CODE[code].label, max_digits=5, decimal_places=4, null=True, blank=True
    )


def _metric_constraints() -> list[models.CheckConstraint]:
    checks = []
    for metric in metrics.RECORDED:
        if metric.kind is Kind.SCORE:
            condition = Q(**{f"{metric.code}__gte": 0, f"{metric.code}__lte": 5})
        else:
            condition = Q(**{f"{metric.code}__gte": 0})
        checks.append(models.CheckConstraint(condition=condition, name=f"daily_metric_{metric.code}_range"))
    return checks


def import_batch_field() -> models.ForeignKey:
    """The import that wrote a row last, on every table imports write. No database constraint and
    no index: checking that one batch exists for each of 100,000 imported rows doubles the cost of
    the commit. Django still nulls it when a batch is deleted (on_delete runs in Python), and
    batches are kept, not deleted."""
    return models.ForeignKey(
        "ImportBatch",
        on_delete=models.SET_NULL,
        db_constraint=False,
        db_index=False,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("import"),
    )


class MetricSource(models.TextChoices):
    """Where a value came from."""

    MANUAL = "manual", _("Entered by hand")
    IMPORT = "import", _("Imported")
    REVERT = "revert", _("Import undone")
    DEMO = "demo", _("Demo data")


class DailyMetric(models.Model):
    """One store's recorded numbers for one day, under their canonical codes
    (docs/metrics.md#recorded-metrics).

    A missing value is NULL, never 0. Derived metrics are computed (stores.metrics), not stored.
    """

    Source = MetricSource

    # The unique (store, date) index serves every lookup by store; a second one would only
    # slow down an import of 100,000 days. Likewise for who entered a row and its last import.
    store = models.ForeignKey(
        Store,
        on_delete=models.CASCADE,
        related_name="daily_metrics",
        verbose_name=_("store"),
        db_index=False,
    )
    date = models.DateField(_("date"))
    # One field per recorded metric of stores.metrics.RECORDED, same code, same order.
    uv = _count("uv")
    pv = _count("pv")
    paid_buyers = _count("paid_buyers")
    paid_orders = _count("paid_orders")
    paid_items = _count("paid_items")
    gmv = _money("gmv")
    refund_amount = _money("refund_amount")
    ad_spend = _money("ad_spend")
    ad_gmv = _money("ad_gmv")
    new_buyers = _count("new_buyers")
    returning_buyers = _count("returning_buyers")
    dsr_item = _score("dsr_item")
    dsr_service = _score("dsr_service")
    dsr_logistics = _score("dsr_logistics")
    cs_inquiries = _count("cs_inquiries")
    cs_inquiry_buyers = _count("cs_inquiry_buyers")
    bad_reviews = _count("bad_reviews")
    # Ad spend by channel (关键词推广花费 …) as imported, {channel: "123.45"}; ad_spend holds their sum.
    ad_spend_split = models.JSONField(_("ad spend by channel"), default=dict, blank=True)

    # Provenance of the row's latest change; every earlier value is kept in MetricRevision.
    source = models.CharField(_("source"), max_length=10, choices=Source.choices)
    entered_by = person_field(_("entered by"), db_index=False)
    # The import that wrote the row last (import_batch_field says why it has no constraint).
    import_batch = import_batch_field()
    # The import that created the row, if one did: undoing that import may remove the row again.
    created_by_batch = models.ForeignKey(
        "ImportBatch",
        on_delete=models.SET_NULL,
        db_constraint=False,
        null=True,
        blank=True,
        related_name="created_metrics",
        verbose_name=_("created by import"),
    )
    source_note = models.CharField(
        _("source detail"),
        max_length=255,
        blank=True,
        help_text=_("The import or file the values came from."),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("daily metrics")
        verbose_name_plural = _("daily metrics")
        ordering = ["store", "-date"]
        constraints = [
            models.UniqueConstraint(fields=["store", "date"], name="daily_metric_one_per_store_day"),
            *_metric_constraints(),
        ]

    def __str__(self) -> str:
        return f"{self.store} {self.date:%Y-%m-%d}"

    def recorded(self) -> dict[str, object]:
        return {code: getattr(self, code) for code in metrics.RECORDED_CODES}

    def with_derived(self) -> dict[str, object]:
        return metrics.with_derived(self.recorded())


class ImportBatch(models.Model):
    """One file brought in (browser or command line): who, when, what, and what it changed."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting")
        PREVIEWED = "previewed", _("Checked, not imported yet")
        RUNNING = "running", _("Importing")
        APPLIED = "applied", _("Imported")
        REFUSED = "refused", _("Refused")
        FAILED = "failed", _("Failed")
        REVERTED = "reverted", _("Undone")

    # Known once the file's stores are known; one file holds the stores of one organisation.
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="import_batches",
        verbose_name=_("organisation"),
    )
    store = models.ForeignKey(
        Store,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="import_batches",
        verbose_name=_("store"),
        help_text=_("Empty when the file names its stores in a 店铺名称 column."),
    )
    uploaded_by = person_field(_("uploaded by"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    file_name = models.CharField(_("file name"), max_length=255)
    sha256 = models.CharField(_("SHA-256"), max_length=64, db_index=True)
    size_bytes = models.PositiveBigIntegerField(_("size in bytes"))
    # Kept so a confirmed preview or a background job imports exactly the bytes that were checked.
    content = models.BinaryField(_("file content"), null=True, blank=True, editable=False)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    rows_total = models.PositiveIntegerField(_("rows in file"), default=0)
    rows_inserted = models.PositiveIntegerField(_("days added"), default=0)
    rows_updated = models.PositiveIntegerField(_("days changed"), default=0)
    rows_unchanged = models.PositiveIntegerField(_("days unchanged"), default=0)
    values_changed = models.PositiveIntegerField(_("values changed"), default=0)
    errors = models.JSONField(_("errors"), default=list, blank=True)
    warnings = models.JSONField(_("warnings"), default=list, blank=True)
    ignored_columns = models.JSONField(_("ignored columns"), default=list, blank=True)
    # What the import does or did, per date, for the preview and the batch page.
    summary = models.JSONField(_("summary"), default=dict, blank=True)
    # The last MetricRevision id when this import committed: any later revision of the same
    # store-day is a later change that an undo must leave alone.
    revision_watermark = models.BigIntegerField(null=True, blank=True, editable=False)
    # What an applied import covered (stores, dates, the stored days' state after it), so that
    # the same file again is known unchanged without reading it (stores.imports.same_file).
    coverage = models.JSONField(null=True, blank=True, editable=False)
    # The earlier import of the same bytes whose outcome this one took (nothing had changed).
    same_as = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("same file as"),
    )
    reverted_at = models.DateTimeField(_("undone at"), null=True, blank=True)
    reverted_by = person_field(_("undone by"))

    class Meta:
        verbose_name = _("import")
        verbose_name_plural = _("imports")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"#{self.pk} {self.file_name}"


class MetricRevision(models.Model):
    """One change to one store-day: the values before and after, and where the change came from.

    Kept by store and date (not by row) so the trail survives a row that an undo removed.
    Values are text as the database held them ("1234.50", "12"; null for missing), so nothing
    is lost to float rounding.
    """

    Source = MetricSource

    store = models.ForeignKey(Store, on_delete=models.CASCADE, related_name="+", verbose_name=_("store"))
    date = models.DateField(_("date"))
    changed_at = models.DateTimeField(_("changed at"), auto_now_add=True)
    source = models.CharField(_("source"), max_length=10, choices=Source.choices)
    changed_by = person_field(_("changed by"))
    batch = models.ForeignKey(
        ImportBatch,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="revisions",
        verbose_name=_("import"),
    )
    previous = models.JSONField(_("previous values"), default=dict)
    current = models.JSONField(_("new values"), default=dict)

    class Meta:
        verbose_name = _("change")
        verbose_name_plural = _("changes")
        ordering = ["store", "date", "changed_at", "pk"]
        indexes = [models.Index(fields=["store", "date"], name="metric_revision_store_day")]

    def __str__(self) -> str:
        return f"{self.store} {self.date:%Y-%m-%d} {self.get_source_display()}"
