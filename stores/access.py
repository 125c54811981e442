"""Who may see which store, and what a user's role is: the one place for role checks.

- superusers see every store;
- a boss or ops lead (OrgMembership) sees every store of their organisation;
- other staff (StoreAssignment) see the stores they hold a role in.
Everything else (pages, exports, imports, jobs started by a user) asks this module.
"""

from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import Q, QuerySet, Value
from django.http import Http404

from stores.models import ImportBatch, Organisation, OrgMembership, OrgRole, Store, StoreAssignment

User = AbstractBaseUser | AnonymousUser


def stores_visible_to(user: User) -> QuerySet[Store]:
    if not user.is_authenticated or not user.is_active:
        return Store.objects.none()
    if user.is_superuser:
        return Store.objects.all()
    # Two subqueries of ids, no joins: every store of an organisation held a role in, and every
    # store assigned.
    return Store.objects.filter(
        Q(organisation_id__in=OrgMembership.objects.filter(user=user).values("organisation_id"))
        | Q(pk__in=StoreAssignment.objects.filter(user=user).values("store_id"))
    )


def can_view_store(user: User, store: Store) -> bool:
    return stores_visible_to(user).filter(pk=store.pk).exists()


def store_for_user_or_404(user: User, slug: str) -> Store:
    """The store a page is about; 404 (not 403) so strangers learn nothing of other stores."""
    store = stores_visible_to(user).filter(slug=slug).select_related("organisation").first()
    if store is None:
        raise Http404("No such store.")
    return store


def stores_importable_by(user: User) -> QuerySet[Store]:
    """Stores whose numbers the user may enter or import: the ops lead's, and each staff
    member's own; the boss reads but does not write."""
    if not user.is_authenticated or not user.is_active:
        return Store.objects.none()
    if user.is_superuser:
        return Store.objects.all()
    lead_of = Q(organisation__memberships__user=user, organisation__memberships__role=OrgRole.LEAD)
    return Store.objects.filter(lead_of | Q(assignments__user=user)).distinct()


def store_for_entry_or_404(user: User, slug: str) -> Store:
    """The store whose numbers a page writes; 404 for a store the user may not write to."""
    store = stores_importable_by(user).filter(slug=slug).first()
    if store is None:
        raise Http404("No such store.")
    return store


def can_enter_metrics(user: User, store: Store) -> bool:
    return stores_importable_by(user).filter(pk=store.pk).exists()


def is_lead_of(user: User, organisation_id: int | None) -> bool:
    if user.is_superuser:
        return True
    return OrgMembership.objects.filter(
        user=user, organisation_id=organisation_id, role=OrgRole.LEAD
    ).exists()


def runs_organisation(user: User, organisation_id: int | None) -> bool:
    """An active, logged-in ops lead of the organisation (or superuser), read afresh now: the one
    rule behind every change of an organisation's own set-up (targets, stores, team, settings,
    KPI months), which the services ask at the moment of the write."""
    return user.is_authenticated and user.is_active and is_lead_of(user, organisation_id)


def can_change_targets(user: User, organisation_id: int | None) -> bool:
    """Sales targets are the ops lead's (and a superuser's); the boss and staff read them."""
    return runs_organisation(user, organisation_id)


def leads_an_organisation(user: User) -> bool:
    return user.is_authenticated and (user.is_superuser or OrgRole.LEAD in org_roles(user))


def oversees_an_organisation(user: User) -> bool:
    """A boss or an ops lead (or a superuser): reads the team's checklists and reports."""
    return user.is_authenticated and (user.is_superuser or bool(org_roles(user)))


def import_batches_visible_to(user: User) -> QuerySet[ImportBatch]:
    """An import is seen by whoever uploaded it, the organisation's boss and lead, and the staff
    of its store."""
    if user.is_superuser:
        return ImportBatch.objects.all()
    return ImportBatch.objects.filter(
        Q(uploaded_by=user) | Q(organisation__memberships__user=user) | Q(store__in=stores_visible_to(user))
    ).distinct()


def can_revert_import(user: User, batch: ImportBatch) -> bool:
    """Undoing an import is the ops lead's call (or a superuser's)."""
    return user.is_authenticated and is_lead_of(user, batch.organisation_id)


@dataclass(frozen=True)
class Roles:
    """What a user holds: each organisation's roles (boss, lead) and each store's (operator…)."""

    organisations: dict[int, frozenset[str]]
    stores: dict[int, frozenset[str]]


NO_ROLES = Roles(organisations={}, stores={})


def roles_of(user: User) -> Roles:
    """The user's roles, read once per request (one query; the request's user object lives
    that long and is read afresh with the next request, so a role removed is gone at once)."""
    if not user.is_authenticated or not user.is_active:
        return NO_ROLES
    if not hasattr(user, "_roles"):
        held = (
            OrgMembership.objects.filter(user=user)
            .values_list("organisation_id", "role", Value(True))
            .union(StoreAssignment.objects.filter(user=user).values_list("store_id", "role", Value(False)))
        )
        organisations: dict[int, set[str]] = {}
        stores: dict[int, set[str]] = {}
        for held_in, role, of_organisation in held:
            (organisations if of_organisation else stores).setdefault(held_in, set()).add(role)
        user._roles = Roles(
            organisations={key: frozenset(roles) for key, roles in organisations.items()},
            stores={key: frozenset(roles) for key, roles in stores.items()},
        )
    return user._roles


def org_roles(user: User) -> set[str]:
    """The user's organisation roles (boss, lead), in any organisation."""
    return set().union(*roles_of(user).organisations.values())


def store_roles(user: User) -> set[str]:
    """The user's store roles (operator, promotion…), in any store."""
    return set().union(*roles_of(user).stores.values())


class Home:
    """Where a user lands after login, by their most senior role."""

    DASHBOARD = "dashboard"
    CHECKLIST = "checklist"
    WEEKLY_REPORT = "weekly_report"
    NO_ROLE = "no_role"


def home_for(user: User) -> str:
    roles = org_roles(user)
    if OrgRole.LEAD in roles or user.is_superuser:
        return Home.DASHBOARD
    if OrgRole.BOSS in roles:
        return Home.WEEKLY_REPORT
    if store_roles(user):
        return Home.CHECKLIST
    return Home.NO_ROLE


# --- Checklists (tasks app) ------------------------------------------------------------------------
# Staff keep and see only their own lists; the ops lead reads the team's lists of their organisation
# and edits its templates; the boss may read the team view (read-only, as everywhere for the boss).


def keeps_checklist(user: User) -> bool:
    """Whoever holds a role in a store gets a daily list and writes a 日报."""
    return bool(store_roles(user))


def organisations_overseen_by(user: User) -> QuerySet[Organisation]:
    """Organisations whose team checklists and 日报 the user may read: as boss or ops lead."""
    if not user.is_authenticated or not user.is_active:
        return Organisation.objects.none()
    if user.is_superuser:
        return Organisation.objects.all()
    return Organisation.objects.filter(memberships__user=user).distinct()


def organisations_led_by(user: User) -> QuerySet[Organisation]:
    """Organisations whose checklist templates the user may edit: as ops lead."""
    if not user.is_authenticated or not user.is_active:
        return Organisation.objects.none()
    if user.is_superuser:
        return Organisation.objects.all()
    return Organisation.objects.filter(memberships__user=user, memberships__role=OrgRole.LEAD).distinct()


def organisation_overseen_or_404(user: User, slug: str | None) -> Organisation:
    """The organisation a team page is about (the first one when no slug is given); 404 otherwise."""
    organisations = organisations_overseen_by(user).order_by("name")
    organisation = organisations.filter(slug=slug).first() if slug else organisations.first()
    if organisation is None:
        raise Http404("No such organisation.")
    return organisation


def organisation_led_or_404(user: User, slug: str | None) -> Organisation:
    organisations = organisations_led_by(user).order_by("name")
    organisation = organisations.filter(slug=slug).first() if slug else organisations.first()
    if organisation is None:
        raise Http404("No such organisation.")
    return organisation


def can_edit_checklist_templates(user: User, organisation: Organisation) -> bool:
    return user.is_authenticated and is_lead_of(user, organisation.pk)


# --- Pages, their sections and links (docs/access.md#pages-and-sections) -----------------------------
# A page shows only the sections and links whose rule here lets the user in; the page behind a link
# applies the same rule (or a stricter one of the functions above), so a link never leads to a 404.


def sees_stores(user: User) -> bool:
    """Holds any role (or is a superuser): the store pages, reports, alerts and dashboard."""
    roles = roles_of(user)
    return user.is_authenticated and (user.is_superuser or bool(roles.organisations or roles.stores))


def store_ids_writable(user: User, stores) -> set[int]:
    """Of `stores`, those whose numbers the user looks after (the ops lead's, each staff member's
    own), decided from the roles already read: who may acknowledge their alerts. The same rule as
    stores_importable_by, without a query."""
    if user.is_superuser:
        return {store.pk for store in stores}
    roles = roles_of(user)
    return {
        store.pk
        for store in stores
        if store.pk in roles.stores or OrgRole.LEAD in roles.organisations.get(store.organisation_id, ())
    }


def team_stores(user: User, stores) -> list:
    """Of `stores`, those of organisations whose team the user oversees: whose checklist figures
    and missing 日报 the user may read."""
    if user.is_superuser:
        return list(stores)
    overseen = roles_of(user).organisations
    return [store for store in stores if store.organisation_id in overseen]


# --- Managing stores (stores/store_settings/) --------------------------------------------------------
# Adding, editing and archiving a store, and its settings pages (its alert thresholds…), are the ops
# lead's of its organisation (and a superuser's); the boss and staff read, others never see them.


def can_manage_stores(user: User, organisation_id: int | None) -> bool:
    """Whether the user may add stores to the organisation, edit, archive or unarchive its stores
    and change their settings: its ops lead, or a superuser. Read afresh at every call."""
    return runs_organisation(user, organisation_id)


def stores_manageable_by(user: User) -> QuerySet[Store]:
    """The stores (active or archived) the user may edit: every store of the organisations they
    lead; every store for a superuser."""
    if not user.is_authenticated or not user.is_active:
        return Store.objects.none()
    if user.is_superuser:
        return Store.objects.all()
    return Store.objects.filter(
        organisation_id__in=OrgMembership.objects.filter(user=user, role=OrgRole.LEAD).values(
            "organisation_id"
        )
    )


def store_manageable_or_404(user: User, slug: str) -> Store:
    """The store a settings page or write is about; 404 (not 403) for anyone who may not manage it."""
    store = stores_manageable_by(user).filter(slug=slug).select_related("organisation").first()
    if store is None:
        raise Http404("No such store.")
    return store


def organisations_for_new_stores(user: User) -> QuerySet[Organisation]:
    """The organisations the user may add a store to (the same as organisations_led_by)."""
    return organisations_led_by(user)
