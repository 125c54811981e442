"""The stores app's models, one module per subject; imported from here (`from stores.models import Store`)."""

from stores.models.daily import DailyMetric, ImportBatch, MetricRevision, MetricSource
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

__all__ = [
    "DailyMetric",
    "ImportBatch",
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
    "person_field",
]
