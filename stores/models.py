from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from stores import metrics
from stores.metrics import Kind


class Organisation(models.Model):
    """A company. An agency (代运营) may run several client organisations; people of one
    organisation never see another's stores."""

    name = models.CharField(_("name"), max_length=100)
    slug = models.SlugField(_("slug"), unique=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Store(models.Model):
    class Platform(models.TextChoices):
        TMALL = "tmall", _("Tmall")
        TAOBAO = "taobao", _("Taobao")

    class ShopType(models.TextChoices):
        FLAGSHIP = "flagship", _("Flagship store (旗舰店)")
        SPECIALTY = "specialty", _("Specialty store (专营店)")
        AUTHORISED = "authorised", _("Authorised store (专卖店)")
        C_SHOP = "c_shop", _("C shop (C店)")

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="stores", verbose_name=_("organisation")
    )
    name = models.CharField(_("name"), max_length=100)
    slug = models.SlugField(_("slug"), unique=True, help_text=_("Used in addresses and on the command line."))
    platform = models.CharField(_("platform"), max_length=10, choices=Platform.choices, blank=True)
    shop_type = models.CharField(_("shop type"), max_length=12, choices=ShopType.choices, blank=True)
    category = models.CharField(_("category"), max_length=100, blank=True)
    active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("store")
        verbose_name_plural = _("stores")
        ordering = ["organisation__name", "name"]

    def __str__(self) -> str:
        return self.name


class OrgRole(models.TextChoices):
    BOSS = "boss", _("Boss (老板)")
    LEAD = "lead", _("Operations lead (运营负责人)")


class StoreRole(models.TextChoices):
    OPERATOR = "operator", _("Operator (运营)")
    PROMOTION = "promotion", _("Promotion (推广)")
    DESIGNER = "designer", _("Designer (美工)")
    CUSTOMER_SERVICE = "customer_service", _("Customer service (客服)")
    CONTENT = "content", _("Content (文案)")


class OrgMembership(models.Model):
    """A boss or ops lead: sees every store of the organisation."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="org_memberships",
        verbose_name=_("user"),
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("organisation")
    )
    role = models.CharField(_("role"), max_length=10, choices=OrgRole.choices)

    class Meta:
        verbose_name = _("organisation role")
        verbose_name_plural = _("organisation roles")
        constraints = [
            models.UniqueConstraint(fields=["user", "organisation", "role"], name="org_membership_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()} · {self.organisation}"


class StoreAssignment(models.Model):
    """A staff member's role in one store; one user may hold roles in several stores."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="store_assignments",
        verbose_name=_("user"),
    )
    store = models.ForeignKey(
        Store, on_delete=models.CASCADE, related_name="assignments", verbose_name=_("store")
    )
    role = models.CharField(_("role"), max_length=20, choices=StoreRole.choices)

    class Meta:
        verbose_name = _("store role")
        verbose_name_plural = _("store roles")
        constraints = [
            models.UniqueConstraint(fields=["user", "store", "role"], name="store_assignment_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()} · {self.store}"


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


class DailyMetric(models.Model):
    """One store's recorded numbers for one day (domain.md §3), under their canonical codes.

    A missing value is NULL, never 0. Derived metrics are computed (stores.metrics), not stored.
    """

    class Source(models.TextChoices):
        MANUAL = "manual", _("Entered by hand")
        IMPORT = "import", _("Imported")
        DEMO = "demo", _("Demo data")

    store = models.ForeignKey(
        Store, on_delete=models.CASCADE, related_name="daily_metrics", verbose_name=_("store")
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

    source = models.CharField(_("source"), max_length=10, choices=Source.choices)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("entered by"),
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
