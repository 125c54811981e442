"""The stores app's models, one module per subject; imported from here (`from stores.models import Store`)."""

from stores.models.daily import DailyMetric, ImportBatch, MetricRevision, MetricSource
from stores.models.items import Item, ItemDaily, ItemName, ItemStatus
from stores.models.organisations import (
    Organisation,
    OrgMembership,
    OrgRole,
    Store,
    StoreAssignment,
    StoreRole,
    person_field,
)
from stores.models.people import PersonChange, Profile
from stores.models.traffic import TrafficLevel, TrafficSourceDaily, TrafficSourceGroup, TrafficSourceName

__all__ = [
    "DailyMetric",
    "ImportBatch",
    "Item",
    "ItemDaily",
    "ItemName",
    "ItemStatus",
    "MetricRevision",
    "MetricSource",
    "Organisation",
    "OrgMembership",
    "OrgRole",
    "PersonChange",
    "Profile",
    "Store",
    "StoreAssignment",
    "StoreRole",
    "TrafficLevel",
    "TrafficSourceDaily",
    "TrafficSourceGroup",
    "TrafficSourceName",
    "person_field",
]
