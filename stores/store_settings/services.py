"""The writes of managing stores: add, edit, archive and unarchive. Each checks, at the moment of
the write, that the user may manage the stores of the organisation (stores.access.can_manage_stores),
and raises PermissionDenied otherwise; a slug another store holds raises ValidationError on "slug"."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from stores import access
from stores.models import Organisation, Store

# Addresses under /stores/ that are pages, not stores: a store may not take these slugs.
RESERVED_SLUGS = frozenset({"new"})


def _check(user, organisation_id: int) -> None:
    if not access.can_manage_stores(user, organisation_id):
        raise PermissionDenied("Only the organisation's ops lead manages its stores.")


def slug_refusal(slug: str, *, store: Store | None = None) -> str | None:
    """Why `slug` cannot be the store's (None when it can): reserved, or another store's."""
    if slug in RESERVED_SLUGS:
        return _("“%(slug)s” is the address of a page of OpsDesk; choose another slug.") % {"slug": slug}
    others = Store.objects.filter(slug=slug)
    if store is not None:
        others = others.exclude(pk=store.pk)
    if others.exists():
        return _("Another store already has the slug “%(slug)s”; choose another.") % {"slug": slug}
    return None


def _slug_check(slug: str, *, store: Store | None = None) -> None:
    refusal = slug_refusal(slug, store=store)
    if refusal:
        raise ValidationError({"slug": refusal}, code="slug")


def _saved(store: Store, **save_options) -> None:
    """Save, turning the unique slug's refusal of a concurrent save into the form's error."""
    try:
        with transaction.atomic():
            store.save(**save_options)
    except IntegrityError:
        _slug_check(store.slug, store=store if store.pk else None)
        raise


def store_create(
    *,
    user,
    organisation: Organisation,
    name: str,
    slug: str,
    platform: str = "",
    shop_type: str = "",
    category: str = "",
) -> Store:
    _check(user, organisation.pk)
    _slug_check(slug)
    store = Store(
        organisation=organisation,
        name=name.strip(),
        slug=slug,
        platform=platform,
        shop_type=shop_type,
        category=category.strip(),
    )
    _saved(store)
    return store


def store_update(
    *,
    user,
    store: Store,
    name: str,
    slug: str,
    platform: str = "",
    shop_type: str = "",
    category: str = "",
) -> Store:
    """A store's details; its organisation stays (its history, plans and people belong there)."""
    _check(user, store.organisation_id)
    _slug_check(slug, store=store)
    store.name, store.slug, store.platform = name.strip(), slug, platform
    store.shop_type, store.category = shop_type, category.strip()
    _saved(store, update_fields=["name", "slug", "platform", "shop_type", "category"])
    return store


def _active_set(*, user, store: Store, active: bool) -> Store:
    _check(user, store.organisation_id)
    Store.objects.filter(pk=store.pk).update(active=active)
    store.active = active
    return store


def store_archive(*, user, store: Store) -> Store:
    """The store stops trading in OpsDesk: no nightly rollups, alerts or checklists from now on, not
    on the dashboard nor the stores page (but for its ops lead); its history stays in the reports
    of the periods it traded."""
    return _active_set(user=user, store=store, active=False)


def store_unarchive(*, user, store: Store) -> Store:
    return _active_set(user=user, store=store, active=True)
