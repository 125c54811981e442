"""Reads of the stores page: which stores each user sees listed, which they may edit."""

from dataclasses import dataclass

from django.db.models import QuerySet

from stores import access
from stores.models import Store


@dataclass(frozen=True)
class StoreListing:
    active: list[Store]  # the stores the user sees that trade
    archived: list[Store]  # archived stores, only those the user may edit (unarchive)
    editable: frozenset[int]  # pks of the listed stores the user may edit
    may_add: bool  # whether the user may add a store (leads an organisation)


def _ordered(stores: QuerySet[Store]) -> list[Store]:
    return list(stores.select_related("organisation").order_by("organisation__name", "name"))


def store_listing(*, user) -> StoreListing:
    """The stores page: every store the user sees that is not archived; archived stores listed
    apart, for those who may edit them only (the boss and staff no longer see them listed; their
    history stays in the reports)."""
    manageable = access.stores_manageable_by(user)
    return StoreListing(
        active=_ordered(access.stores_visible_to(user).filter(active=True)),
        archived=_ordered(manageable.filter(active=False)),
        editable=frozenset(manageable.values_list("pk", flat=True)),
        may_add=access.organisations_for_new_stores(user).exists(),
    )
