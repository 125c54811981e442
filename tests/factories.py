"""Factories for test data: build exactly what a test needs, nothing more."""

import datetime as dt
from decimal import Decimal

import factory
from django.contrib.auth import get_user_model

from stores.models import DailyMetric, Organisation, OrgMembership, Store, StoreAssignment


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    password = factory.django.Password("pw-for-tests-1")


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"公司{n}")
    slug = factory.Sequence(lambda n: f"org-{n}")


class StoreFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Store

    organisation = factory.SubFactory(OrganisationFactory)
    name = factory.Sequence(lambda n: f"店铺{n}")
    slug = factory.Sequence(lambda n: f"store-{n}")


class OrgMembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OrgMembership

    user = factory.SubFactory(UserFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    role = "lead"


class StoreAssignmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StoreAssignment

    user = factory.SubFactory(UserFactory)
    store = factory.SubFactory(StoreFactory)
    role = "operator"


class DailyMetricFactory(factory.django.DjangoModelFactory):
    """A plausible day: 1,000 visitors, 30 buyers at ¥150 (conversion 3 %, GMV ¥4,500)."""

    class Meta:
        model = DailyMetric

    store = factory.SubFactory(StoreFactory)
    date = factory.Sequence(lambda n: dt.date(2026, 1, 1) + dt.timedelta(days=n))
    uv = 1000
    pv = 3000
    paid_buyers = 30
    paid_orders = 33
    paid_items = 40
    gmv = Decimal("4500.00")
    refund_amount = Decimal("225.00")
    ad_spend = Decimal("500.00")
    ad_gmv = Decimal("1500.00")
    new_buyers = 21
    returning_buyers = 9
    dsr_item = Decimal("4.85")
    dsr_service = Decimal("4.82")
    dsr_logistics = Decimal("4.80")
    cs_inquiries = 40
    cs_inquiry_buyers = 16
    bad_reviews = 1
    source = DailyMetric.Source.MANUAL
