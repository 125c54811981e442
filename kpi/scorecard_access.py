"""Who may see whose KPI scores, and who may score (docs/access.md#kpi-scorecards): the bosses and
ops leads of an organisation see everyone in it, staff only themselves, a superuser everyone; anyone
else nobody. Closing, reopening and manual scores are the ops lead's."""

from django.contrib.auth import get_user_model
from django.db.models import Q, QuerySet

from kpi.models import KpiScore
from stores import access
from stores.models import Organisation, OrgMembership, StoreAssignment

# Who may see whose scores ---------------------------------------------------------------------


def _active(user) -> bool:
    return user.is_authenticated and user.is_active


def oversees_scores(user, organisation: Organisation) -> bool:
    """The organisation's bosses and ops leads (and superusers) see everyone's scores in it."""
    if not _active(user):
        return False
    return user.is_superuser or organisation.pk in access.roles_of(user).organisations


def may_score(user, organisation: Organisation) -> bool:
    """Closing and reopening months and entering manual items: the ops lead's (and a superuser's)."""
    return access.runs_organisation(user, organisation.pk)


def scores_visible_to(user, organisation: Organisation) -> QuerySet:
    """The people of `organisation` whose scores `user` may see: everyone holding a role in it or
    scored in it for its bosses, ops leads and superusers; only themselves for staff (when they hold
    a role in one of its stores); nobody otherwise."""
    users = get_user_model().objects
    if not _active(user):
        return users.none()
    if oversees_scores(user, organisation):
        return users.filter(
            Q(pk__in=OrgMembership.objects.filter(organisation=organisation).values("user_id"))
            | Q(pk__in=StoreAssignment.objects.filter(store__organisation=organisation).values("user_id"))
            | Q(pk__in=KpiScore.objects.filter(organisation=organisation).values("user_id"))
        )
    if StoreAssignment.objects.filter(user=user, store__organisation=organisation).exists():
        return users.filter(pk=user.pk)
    return users.none()


def score_organisations_get(*, user) -> list[Organisation]:
    """The organisations in which the user sees some scores (their own at least), by name."""
    if not _active(user):
        return []
    if user.is_superuser:
        return list(Organisation.objects.order_by("name"))
    visible = access.stores_visible_to(user).values("organisation_id")
    return list(Organisation.objects.filter(pk__in=visible).order_by("name"))
