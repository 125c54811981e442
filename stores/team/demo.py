"""The team page's demo (seed_demo, after every app's history): the former 客服 leaves (deactivated
by the ops lead, their history kept under their name), and a new 客服 is invited and has not set a
password yet. Both go through the team services, so the history of changes shows them."""

from dataclasses import dataclass

from django.contrib.auth import get_user_model

from stores.demo import DEMO_USERS
from stores.models import Organisation, OrgRole, PersonChange, StoreRole
from stores.team import services
from stores.team.selectors import RoleSet

INVITED_USERNAME = "xinren"


@dataclass(frozen=True)
class TeamDemo:
    former: str
    invited: str
    invitation_path: str  # the invited person's one-time link, to try the flow


def team_demo_seed(*, organisation: Organisation) -> TeamDemo:
    users = get_user_model().objects
    PersonChange.objects.filter(organisation=organisation).delete()
    users.filter(username=INVITED_USERNAME).delete()
    lead = users.get(org_memberships__organisation=organisation, org_memberships__role=OrgRole.LEAD)
    former = users.get(username=next(spec.username for spec in DEMO_USERS if spec.former))
    services.person_deactivate(organisation=organisation, by=lead, person=former)
    first_store = organisation.stores.order_by("pk").first()
    invited = services.person_add(
        organisation=organisation,
        by=lead,
        username=INVITED_USERNAME,
        last_name="钱",
        first_name="小雨",
        phone="13800000000",
        roles=RoleSet(store_roles=frozenset({(first_store.pk, StoreRole.CUSTOMER_SERVICE)})),
    )
    path = services.password_link_make(organisation=organisation, by=lead, person=invited)
    return TeamDemo(former=former.username, invited=invited.username, invitation_path=path)
