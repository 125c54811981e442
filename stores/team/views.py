"""/team/: the ops lead runs the team (the boss reads it). Views parse, call one service or
selector, and render; the rules are in stores.team.services (docs/team.md)."""

import logging

from django.conf import settings
from django.contrib import messages
from django.core.mail import send_mail
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from stores import access, periods
from stores.team import columns, selectors, services
from stores.team.forms import PersonDetailsForm, PersonForm, RolesForm, TeamFilterForm

logger = logging.getLogger(__name__)
SHOWN_LINK = "team_password_link"  # the session key of a link to show once


def people(request, org_slug: str | None = None):
    organisation = access.organisation_overseen_or_404(request.user, org_slug)
    filters = TeamFilterForm(request.GET or None, organisation=organisation)
    store = role = None
    if filters.is_valid():
        store, role = filters.cleaned_data["store"], filters.cleaned_data["role"] or None
    active, inactive = selectors.people_get(
        organisation=organisation, day=periods.today(), store_id=store.pk if store else None, role=role
    )
    return render(
        request,
        "team/people.html",
        {
            "organisation": organisation,
            "organisations": access.organisations_overseen_by(request.user).order_by("name"),
            "filters": filters,
            "active": active,
            "inactive": inactive,
            "columns": columns.people_columns(),
            "can_edit": access.is_lead_of(request.user, organisation.pk),
        },
    )


def person_new(request, org_slug: str):
    organisation = access.organisation_led_or_404(request.user, org_slug)
    details = PersonForm(request.POST or None)
    roles = RolesForm(request.POST or None, organisation=organisation)
    if request.method == "POST" and details.is_valid() and roles.is_valid():
        try:
            person = services.person_add(
                organisation=organisation, by=request.user, roles=roles.role_set(), **details.cleaned_data
            )
        except services.TeamRefused as refusal:
            messages.error(request, str(refusal))
        else:
            path = services.password_link_make(organisation=organisation, by=request.user, person=person)
            _link_deliver(request, organisation=organisation, person=person, path=path)
            return redirect("team:person", org_slug=organisation.slug, person_id=person.pk)
    return render(
        request, "team/person_new.html", {"organisation": organisation, "details": details, "roles": roles}
    )


def person(request, org_slug: str, person_id: int):
    organisation = access.organisation_overseen_or_404(request.user, org_slug)
    someone = selectors.person_of_organisation_or_404(organisation=organisation, person_id=person_id)
    can_edit = access.is_lead_of(request.user, organisation.pk)
    profile = selectors.profile_of(someone)
    held = selectors.role_sets_get(organisation=organisation, people=[someone])[someone.pk]
    shown_link = request.session.pop(SHOWN_LINK, None)
    context = {
        "organisation": organisation,
        "person": someone,
        "profile": profile,
        "role_labels": selectors.role_labels(held, {store.pk: store for store in organisation.stores.all()}),
        "pending": selectors.invitation_pending(someone, profile),
        "link_expires_at": selectors.password_link_expires_at(profile),
        "now": timezone.now(),
        "history": selectors.person_history_get(organisation=organisation, person=someone),
        "links": columns.person_links(viewer=request.user, person=someone, organisation=organisation),
        "can_edit": can_edit,
        "shown_link": shown_link["url"] if shown_link and shown_link.get("person") == someone.pk else None,
    }
    if can_edit:
        context["details"] = PersonDetailsForm(
            initial={
                "first_name": someone.first_name,
                "last_name": someone.last_name,
                "email": someone.email,
                "phone": profile.phone,
            }
        )
        context["roles"] = RolesForm(organisation=organisation, initial_roles=held)
    return render(request, "team/person.html", context)


@require_POST
def person_details(request, org_slug: str, person_id: int):
    organisation, someone = _led_person_or_404(request, org_slug, person_id)
    form = PersonDetailsForm(request.POST)
    if not form.is_valid():
        for field, errors in form.errors.items():
            messages.error(request, f"{form.fields[field].label}: {' '.join(errors)}")
    else:
        _refusal_shown(
            request,
            services.person_details_update,
            organisation=organisation,
            by=request.user,
            person=someone,
            **form.cleaned_data,
        )
    return redirect("team:person", org_slug=organisation.slug, person_id=someone.pk)


@require_POST
def person_roles(request, org_slug: str, person_id: int):
    organisation, someone = _led_person_or_404(request, org_slug, person_id)
    held = selectors.role_sets_get(organisation=organisation, people=[someone])[someone.pk]
    form = RolesForm(request.POST, organisation=organisation, initial_roles=held)
    if form.is_valid():
        _refusal_shown(
            request,
            services.person_roles_set,
            organisation=organisation,
            by=request.user,
            person=someone,
            roles=form.role_set(),
        )
    return redirect("team:person", org_slug=organisation.slug, person_id=someone.pk)


@require_POST
def person_deactivate(request, org_slug: str, person_id: int):
    organisation, someone = _led_person_or_404(request, org_slug, person_id)
    _refusal_shown(
        request, services.person_deactivate, organisation=organisation, by=request.user, person=someone
    )
    return redirect("team:person", org_slug=organisation.slug, person_id=someone.pk)


@require_POST
def person_reactivate(request, org_slug: str, person_id: int):
    organisation, someone = _led_person_or_404(request, org_slug, person_id)
    _refusal_shown(
        request, services.person_reactivate, organisation=organisation, by=request.user, person=someone
    )
    return redirect("team:person", org_slug=organisation.slug, person_id=someone.pk)


@require_POST
def person_password_link(request, org_slug: str, person_id: int):
    organisation, someone = _led_person_or_404(request, org_slug, person_id)
    path = _refusal_shown(
        request, services.password_link_make, organisation=organisation, by=request.user, person=someone
    )
    if path:
        _link_deliver(request, organisation=organisation, person=someone, path=path)
    return redirect("team:person", org_slug=organisation.slug, person_id=someone.pk)


# --- Helpers ----------------------------------------------------------------------------------------


def _led_person_or_404(request, org_slug: str, person_id: int):
    organisation = access.organisation_led_or_404(request.user, org_slug)
    return organisation, selectors.person_of_organisation_or_404(
        organisation=organisation, person_id=person_id
    )


def _refusal_shown(request, service, **arguments):
    """Run the service; a refusal becomes an error message on the page instead of a failure."""
    try:
        done = service(**arguments)
    except services.TeamRefused as refusal:
        messages.error(request, str(refusal))
        return None
    messages.success(request, _("Saved."))
    return done


def _link_deliver(request, *, organisation, person, path: str) -> None:
    """By email when the person has an address (in their language); otherwise, or when the mail
    server fails, shown once on their page for the lead to pass on (DingTalk, WeChat)."""
    url = request.build_absolute_uri(path)
    if person.email:
        language = selectors.profile_of(person).language or organisation.default_language
        try:
            with translation.override(language):
                send_mail(
                    _("Your OpsDesk account"),
                    render_to_string(
                        "team/email/password_link.txt",
                        {"person": person, "organisation": organisation, "url": url, "by": request.user},
                    ),
                    settings.DEFAULT_FROM_EMAIL,
                    [person.email],
                )
        except Exception:  # a mail server down must not lose the link: it is shown instead
            logger.exception("The set-password link for %s could not be sent", person.pk)
            messages.warning(request, _("The email could not be sent; pass the link on yourself."))
        else:
            messages.success(
                request, _("The set-password link was sent to %(email)s.") % {"email": person.email}
            )
            return
    request.session[SHOWN_LINK] = {"person": person.pk, "url": url}
