"""Organisations, their stores, and who holds which role where (docs/access.md)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Organisation(models.Model):
    """A company. An agency (代运营) may run several client organisations; people of one
    organisation never see another's stores."""

    name = models.CharField(_("name"), max_length=100)
    slug = models.SlugField(_("slug"), unique=True)
    # The language of people added from the team page until they choose their own.
    default_language = models.CharField(
        _("default language for new people"),
        max_length=10,
        choices=settings.LANGUAGES,
        default=settings.LANGUAGE_CODE,
    )
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


def person_field(verbose_name, **options) -> models.ForeignKey:
    """Who did something; the record stays (with no one named) if that user is deleted. Every
    app's "who did it" field is one of these."""
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=verbose_name,
        **options,
    )
