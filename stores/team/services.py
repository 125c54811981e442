"""The writes of the team page (docs/team.md): add a person, change their details and roles,
deactivate and reactivate them, and make their one-time set-password link.

Every write checks, at the moment of the write, that `by` leads the organisation, and that the
person is within reach: one of its people, never a superuser, and for what touches the whole
account (details, password, deactivation) nobody who also holds a role in an organisation `by`
does not lead. Writes to one organisation's team run one at a time (its row is locked), so two
leads cannot remove each other's lead role at once and leave nobody in charge.
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _

from stores import access
from stores.account.services import other_sessions_end
from stores.models import (
    Organisation,
    OrgMembership,
    OrgRole,
    PersonChange,
    Profile,
    StoreAssignment,
)
from stores.team import selectors
from stores.team.selectors import RoleSet

User = get_user_model()
DETAIL_FIELDS = ("username", "first_name", "last_name", "email", "phone")


class TeamRefused(Exception):
    """A change the rules do not allow; its message says why, in the user's language."""


def person_add(
    *,
    organisation: Organisation,
    by,
    username: str,
    first_name: str = "",
    last_name: str = "",
    email: str = "",
    phone: str = "",
    roles: RoleSet,
):
    """A new person with `roles` and no password yet: they set one through their link
    (password_link_make). Returns the user."""
    with transaction.atomic():
        _organisation_locked(organisation, by)
        if not roles:
            raise TeamRefused(_("Give the person at least one role."))
        _stores_of_organisation(organisation, roles)
        if User.objects.filter(username__iexact=username).exists():
            raise TeamRefused(_("The username %(username)s is taken.") % {"username": username})
        person = User(username=username, first_name=first_name, last_name=last_name, email=email)
        person.set_unusable_password()
        person.save()
        Profile.objects.create(user=person, phone=phone, language=organisation.default_language)
        _roles_write(person=person, organisation=organisation, before=RoleSet(), after=roles)
        details = _details(person)
        _record(
            organisation,
            person,
            by,
            PersonChange.Action.ADDED,
            {},
            {**details, "roles": _labels(organisation, roles)},
        )
    return person


def person_details_update(
    *, organisation: Organisation, by, person, first_name: str, last_name: str, email: str, phone: str
) -> None:
    with transaction.atomic():
        _organisation_locked(organisation, by)
        _account_in_reach(organisation, by, person)
        before = _details(person)
        person.first_name, person.last_name, person.email = first_name, last_name, email
        person.save(update_fields=["first_name", "last_name", "email"])
        profile, _created = Profile.objects.get_or_create(user=person)
        profile.phone = phone
        profile.save(update_fields=["phone"])
        after = _details(person)
        changed = {key for key in after if after[key] != before.get(key)}
        if changed:
            _record(
                organisation,
                person,
                by,
                PersonChange.Action.DETAILS,
                {key: before[key] for key in changed},
                {key: after[key] for key in changed},
            )


def person_roles_set(*, organisation: Organisation, by, person, roles: RoleSet) -> None:
    """The person's roles within the organisation become exactly `roles` (adding, removing and
    moving between stores alike). Access follows at their next request (stores.access reads
    roles afresh with every request)."""
    with transaction.atomic():
        _organisation_locked(organisation, by)
        _in_reach(organisation, by, person)
        _stores_of_organisation(organisation, roles)
        before = selectors.role_sets_get(organisation=organisation, people=[person])[person.pk]
        if before == roles:
            return
        if (
            OrgRole.LEAD in before.organisation_roles
            and OrgRole.LEAD not in roles.organisation_roles
            and person.is_active
        ):
            _not_the_last_lead(organisation, person)
        _roles_write(person=person, organisation=organisation, before=before, after=roles)
        _record(
            organisation,
            person,
            by,
            PersonChange.Action.ROLES,
            {"roles": _labels(organisation, before)},
            {"roles": _labels(organisation, roles)},
        )


def person_deactivate(*, organisation: Organisation, by, person) -> None:
    """They can no longer log in, and every session of theirs ends now. Their roles stay on
    record (read as "had" while inactive), and so does everything they did, under their name."""
    with transaction.atomic():
        _organisation_locked(organisation, by)
        _account_in_reach(organisation, by, person)
        if person == by:
            raise TeamRefused(_("You cannot deactivate yourself."))
        if not person.is_active:
            return
        if OrgMembership.objects.filter(organisation=organisation, user=person, role=OrgRole.LEAD).exists():
            _not_the_last_lead(organisation, person)
        person.is_active = False
        person.save(update_fields=["is_active"])
        other_sessions_end(user=person, current_session_key=None)
        _record(
            organisation, person, by, PersonChange.Action.DEACTIVATED, {"active": True}, {"active": False}
        )


def person_reactivate(*, organisation: Organisation, by, person) -> None:
    with transaction.atomic():
        _organisation_locked(organisation, by)
        _account_in_reach(organisation, by, person)
        if person.is_active:
            return
        person.is_active = True
        person.save(update_fields=["is_active"])
        _record(
            organisation, person, by, PersonChange.Action.REACTIVATED, {"active": False}, {"active": True}
        )


def password_link_make(*, organisation: Organisation, by, person) -> str:
    """A new one-time set-password link (its path) for the person. The password they had stops
    working and their sessions end (a reset is also how a lead locks out a lost phone); earlier
    links stop working too, because Django's token holds the password's hash. The link expires
    after settings.PASSWORD_RESET_TIMEOUT and works once: setting the password changes the hash."""
    with transaction.atomic():
        _organisation_locked(organisation, by)
        _account_in_reach(organisation, by, person)
        if not person.is_active:
            raise TeamRefused(_("Reactivate the person first."))
        person.set_unusable_password()
        person.save(update_fields=["password"])
        other_sessions_end(user=person, current_session_key=None)
        profile, _created = Profile.objects.get_or_create(user=person)
        profile.password_link_sent_at = timezone.now()
        profile.save(update_fields=["password_link_sent_at"])
        _record(organisation, person, by, PersonChange.Action.PASSWORD_LINK, {}, {})
    return password_link_path(person)


def password_link_path(person) -> str:
    return reverse(
        "password_set",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(person.pk)),
            "token": default_token_generator.make_token(person),
        },
    )


# --- Rules ------------------------------------------------------------------------------------------


def _organisation_locked(organisation: Organisation, by) -> None:
    """`by` leads the organisation (checked now, not when the page was shown), and nobody else
    changes its team until this transaction ends."""
    if not access.runs_organisation(by, organisation.pk):
        raise PermissionDenied
    Organisation.objects.select_for_update().filter(pk=organisation.pk).first()


def _in_reach(organisation: Organisation, by, person) -> None:
    if person.is_superuser and not by.is_superuser:
        raise PermissionDenied
    if not selectors.people_of(organisation).filter(pk=person.pk).exists():
        raise PermissionDenied


def _account_in_reach(organisation: Organisation, by, person) -> None:
    """What changes the account itself (details, password, deactivation) is for a lead of every
    organisation the person holds a role in: a lead of one organisation must not reset the
    password of someone who also leads another."""
    _in_reach(organisation, by, person)
    if by.is_superuser:
        return
    led = set(access.organisations_led_by(by).values_list("pk", flat=True))
    held = set(OrgMembership.objects.filter(user=person).values_list("organisation_id", flat=True)) | set(
        StoreAssignment.objects.filter(user=person).values_list("store__organisation_id", flat=True)
    )
    if not held <= led:
        raise TeamRefused(
            _("%(person)s also works for another organisation: only a superuser can change this account.")
            % {"person": person.get_username()}
        )


def _not_the_last_lead(organisation: Organisation, person) -> None:
    if not selectors.active_leads_count(organisation=organisation, excluding=person):
        raise TeamRefused(
            _("%(person)s is the last ops lead of %(organisation)s: make someone else ops lead first.")
            % {"person": person.get_username(), "organisation": organisation.name}
        )


def _stores_of_organisation(organisation: Organisation, roles: RoleSet) -> None:
    store_ids = {store_id for store_id, _role in roles.store_roles}
    if store_ids - set(organisation.stores.values_list("pk", flat=True)):
        raise PermissionDenied


def _roles_write(*, person, organisation: Organisation, before: RoleSet, after: RoleSet) -> None:
    for role in before.organisation_roles - after.organisation_roles:
        OrgMembership.objects.filter(user=person, organisation=organisation, role=role).delete()
    for role in after.organisation_roles - before.organisation_roles:
        OrgMembership.objects.create(user=person, organisation=organisation, role=role)
    for store_id, role in before.store_roles - after.store_roles:
        StoreAssignment.objects.filter(user=person, store_id=store_id, role=role).delete()
    for store_id, role in after.store_roles - before.store_roles:
        StoreAssignment.objects.create(user=person, store_id=store_id, role=role)


def _details(person) -> dict:
    profile = Profile.objects.filter(user=person).first()
    return {
        "username": person.username,
        "first_name": person.first_name,
        "last_name": person.last_name,
        "email": person.email,
        "phone": profile.phone if profile else "",
    }


def _labels(organisation: Organisation, roles: RoleSet) -> list[str]:
    return roles.labels({store.pk: store for store in organisation.stores.all()})


def _record(organisation, person, by, action, before, after) -> None:
    PersonChange.objects.create(
        organisation=organisation, person=person, changed_by=by, action=action, before=before, after=after
    )
