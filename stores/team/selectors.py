"""The reads of the team page (docs/team.md): who is in an organisation, with which roles, and
what was changed about them."""

import datetime as dt
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from stores.models import (
    Organisation,
    OrgMembership,
    OrgRole,
    PersonChange,
    Profile,
    Store,
    StoreAssignment,
    StoreRole,
)
from stores.team import columns

User = get_user_model()


@dataclass(frozen=True)
class RoleSet:
    """A person's roles within one organisation: its roles (boss, lead) and each store's."""

    organisation_roles: frozenset[str] = frozenset()
    store_roles: frozenset[tuple[int, str]] = frozenset()  # (store id, role)

    def __bool__(self) -> bool:
        return bool(self.organisation_roles or self.store_roles)

    def labels(self, stores: dict[int, Store]) -> list[str]:
        """As the history keeps them: "org:lead", "store-a:operator", sorted."""
        return sorted(
            [f"org:{role}" for role in self.organisation_roles]
            + [f"{stores[store_id].slug}:{role}" for store_id, role in self.store_roles if store_id in stores]
        )


def role_sets_get(*, organisation: Organisation, people) -> dict[int, RoleSet]:
    """Each person's roles within the organisation, in two queries."""
    person_ids = [person.pk for person in people]
    held_org: dict[int, set[str]] = {}
    held_stores: dict[int, set[tuple[int, str]]] = {}
    for user_id, role in OrgMembership.objects.filter(
        organisation=organisation, user_id__in=person_ids
    ).values_list("user_id", "role"):
        held_org.setdefault(user_id, set()).add(role)
    for user_id, store_id, role in StoreAssignment.objects.filter(
        store__organisation=organisation, user_id__in=person_ids
    ).values_list("user_id", "store_id", "role"):
        held_stores.setdefault(user_id, set()).add((store_id, role))
    return {
        person_id: RoleSet(frozenset(held_org.get(person_id, ())), frozenset(held_stores.get(person_id, ())))
        for person_id in person_ids
    }


def people_of(organisation: Organisation) -> QuerySet:
    """Everyone who holds a role in the organisation or one of its stores (active or not), and
    whoever the team page changed and who holds no role any more (their history stays)."""
    return User.objects.filter(
        Q(pk__in=OrgMembership.objects.filter(organisation=organisation).values("user_id"))
        | Q(pk__in=StoreAssignment.objects.filter(store__organisation=organisation).values("user_id"))
        | Q(pk__in=PersonChange.objects.filter(organisation=organisation).values("person_id"))
    )


def person_of_organisation_or_404(*, organisation: Organisation, person_id: int):
    """A person of the organisation's team; 404 for anyone else (another organisation's people
    and superusers alike: a lead never acts on them)."""
    person = people_of(organisation).filter(pk=person_id, is_superuser=False).first()
    if person is None:
        raise Http404("No such person.")
    return person


def profile_of(person) -> Profile:
    """The person's profile to read: theirs, or an unsaved one with the defaults for people added
    before the team page or in the admin (a page that only reads writes nothing)."""
    return Profile.objects.filter(user=person).first() or Profile(user=person)


def password_link_expires_at(profile: Profile) -> dt.datetime | None:
    if profile.password_link_sent_at is None:
        return None
    return profile.password_link_sent_at + dt.timedelta(seconds=settings.PASSWORD_RESET_TIMEOUT)


def invitation_pending(person, profile: Profile | None) -> bool:
    """Added (or reset) and not in yet: no usable password, and a link made."""
    return bool(profile and profile.password_link_sent_at) and not person.has_usable_password()


@dataclass(frozen=True)
class PersonRow:
    person: object
    roles: RoleSet
    role_labels: list[str]  # "A店 · Operator (运营)", for reading
    pending: bool
    link_expired: bool
    cells: list = field(default_factory=list)  # the registered columns' cells, in column order


def people_get(
    *, organisation: Organisation, day: dt.date, store_id: int | None = None, role: str | None = None
) -> tuple[list[PersonRow], list[PersonRow]]:
    """The team of the organisation, filtered by store and role: (active people, deactivated
    people), each sorted by name."""
    people = list(
        people_of(organisation).filter(is_superuser=False).order_by("last_name", "first_name", "username")
    )
    stores = {store.pk: store for store in organisation.stores.all()}
    role_sets = role_sets_get(organisation=organisation, people=people)
    profiles = {profile.user_id: profile for profile in Profile.objects.filter(user__in=people)}
    if store_id is not None:
        people = [p for p in people if any(held == store_id for held, _r in role_sets[p.pk].store_roles)]
    if role:
        people = [p for p in people if _holds(role_sets[p.pk], role, store_id)]
    registered = columns.people_columns()
    cells = {
        column.code: column.cells(organisation=organisation, people=people, day=day) for column in registered
    }
    now = timezone.now()
    rows = []
    for person in people:
        profile = profiles.get(person.pk)
        pending = invitation_pending(person, profile)
        expires = password_link_expires_at(profile) if profile else None
        rows.append(
            PersonRow(
                person=person,
                roles=role_sets[person.pk],
                role_labels=role_labels(role_sets[person.pk], stores),
                pending=pending,
                link_expired=pending and expires is not None and expires < now,
                cells=[cells[column.code].get(person.pk, "") for column in registered],
            )
        )
    return [row for row in rows if row.person.is_active], [row for row in rows if not row.person.is_active]


def _holds(roles: RoleSet, role: str, store_id: int | None) -> bool:
    if role in roles.organisation_roles:
        return True
    return any(held == role and (store_id is None or store == store_id) for store, held in roles.store_roles)


def role_labels(roles: RoleSet, stores: dict[int, Store]) -> list[str]:
    shown = [str(OrgRole(role).label) for role in sorted(roles.organisation_roles)]
    for store_id, role in sorted(roles.store_roles, key=lambda held: (stores[held[0]].name, held[1])):
        shown.append(f"{stores[store_id].name} · {StoreRole(role).label}")
    return shown


def person_history_get(*, organisation: Organisation, person) -> list[PersonChange]:
    return list(
        PersonChange.objects.filter(organisation=organisation, person=person).select_related("changed_by")[
            :200
        ]
    )


def active_leads_count(*, organisation: Organisation, excluding=None) -> int:
    leads = OrgMembership.objects.filter(organisation=organisation, role=OrgRole.LEAD, user__is_active=True)
    if excluding is not None:
        leads = leads.exclude(user=excluding)
    return leads.count()
