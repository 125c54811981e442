"""Who may see which store, and what a user's role is: the one place for role checks.

- superusers see every store;
- a boss or ops lead (OrgMembership) sees every store of their organisation;
- other staff (StoreAssignment) see the stores they hold a role in.
Everything else (pages, exports, imports, jobs started by a user) asks this module.
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.db.models.expressions import RawSQL
from django.http import Http404

from stores.models import ImportBatch, Organisation, OrgMembership, OrgRole, Store, StoreAssignment

User = AbstractBaseUser | AnonymousUser


def visible_store_ids_sql(user: User) -> tuple[str, list] | None:
    """The ids of the stores the user sees, as one SELECT with its parameters (None: no store at
    all); stores_visible_to is this as a query set, and SQL written by hand uses it as it is."""
    if not user.is_authenticated or not user.is_active:
        return None
    if user.is_superuser:
        return "SELECT vs.id FROM stores_store vs", []
    return (
        "SELECT vs.id FROM stores_store vs WHERE vs.organisation_id IN"
        " (SELECT vm.organisation_id FROM stores_orgmembership vm WHERE vm.user_id = %s)"
        " OR vs.id IN (SELECT va.store_id FROM stores_storeassignment va WHERE va.user_id = %s)",
        [user.pk, user.pk],
    )


def stores_visible_to(user: User) -> QuerySet[Store]:
    visible = visible_store_ids_sql(user)
    if visible is None:
        return Store.objects.none()
    if user.is_superuser:
        return Store.objects.all()
    return Store.objects.filter(pk__in=RawSQL(*visible))


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


def org_roles(user: User) -> set[str]:
    """The user's organisation roles, asked once per request (the user object lives that long:
    the home page and the navigation both need them; the request's user brings them along, see
    UserWithRolesBackend)."""
    if not user.is_authenticated:
        return set()
    if not hasattr(user, "_org_roles"):
        user._org_roles = set(OrgMembership.objects.filter(user=user).values_list("role", flat=True))
    return user._org_roles


class UserWithRolesBackend(ModelBackend):
    """Django's ModelBackend (passwords, permissions, inactive users refused), except that the
    user of a request is read together with their organisation roles: one query, not two, on
    every page. Read afresh on every request, never kept: a role removed is gone at the next one."""

    def get_user(self, user_id):
        model = get_user_model()
        try:
            user_id = model._meta.pk.to_python(user_id)
        except ValidationError:
            return None
        # One row per role (one without a role); written out, as the query set costs twice as much.
        pk, member = model._meta.pk.column, OrgMembership._meta.get_field("user").column
        rows = list(
            model._default_manager.raw(
                f"SELECT u.*, m.role AS org_role_of_row FROM {model._meta.db_table} u"
                f" LEFT JOIN {OrgMembership._meta.db_table} m ON m.{member} = u.{pk} WHERE u.{pk} = %s",
                [user_id],
            )
        )
        if not rows or not self.user_can_authenticate(rows[0]):
            return None
        user = rows[0]
        user._org_roles = {row.org_role_of_row for row in rows if row.org_role_of_row is not None}
        return user


def store_roles(user: User) -> set[str]:
    if not user.is_authenticated:
        return set()
    return set(StoreAssignment.objects.filter(user=user).values_list("role", flat=True))


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


def checklist_item_of_owner_or_404(user: User, item_id: int):
    """An item of the user's own list: nobody ticks another person's list, not even the lead."""
    from tasks.models import ChecklistItem

    item = ChecklistItem.objects.filter(pk=item_id, checklist__user=user).select_related("checklist").first()
    if item is None:
        raise Http404("No such item.")
    return item


def checklist_template_led_or_404(user: User, template_id: int):
    from tasks.models import ChecklistTemplate

    template = (
        ChecklistTemplate.objects.filter(pk=template_id, organisation__in=organisations_led_by(user))
        .select_related("organisation", "store")
        .first()
    )
    if template is None:
        raise Http404("No such checklist template.")
    return template
