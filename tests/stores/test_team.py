"""The team page (issue 15): the ops lead adds people, changes their roles, deactivates,
reactivates and resets them; the boss reads; nobody else gets in. Every change is recorded, and
the set-password link works once, expires, and dies with a newer link.

Personas (tests/conftest.py): Acme with stores A and B, a boss, an ops lead, one staff member per
role in store A; Other Co (store C) with its own lead, the stranger; a superuser.
"""

import datetime as dt
import re

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.core import mail
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from stores.models import OrgMembership, OrgRole, PersonChange, StoreAssignment, StoreRole
from stores.team import services
from stores.team.selectors import RoleSet
from tasks import services as task_services
from tasks.models import DailyChecklist
from tests.factories import StoreAssignmentFactory

User = get_user_model()
NEW_PASSWORD = "a-Fresh-pass-2468"


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def _newcomer() -> Client:
    """Someone not logged in, reading English."""
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def _person_url(person, name="team:person", org="acme") -> str:
    return reverse(name, kwargs={"org_slug": org, "person_id": person.pk})


def _add(client, **fields):
    data = {"username": "xiaomei", "last_name": "王", "first_name": "小美", "email": "", "phone": "138"}
    data.update(fields)
    return client.post(reverse("team:person_new", kwargs={"org_slug": "acme"}), data)


def _shown_link(page: str) -> str:
    return re.search(r'value="(http://testserver/account/welcome/[^"]+)"', page).group(1)


# --- Who may -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(("persona", "status"), [("lead", 200), ("boss", 200), ("superuser", 200)])
def test_the_lead_and_the_boss_read_the_team(personas, persona, status):
    page = _client(getattr(personas, persona)).get(reverse("team:people"))
    assert page.status_code == status
    text = page.content.decode()
    assert "operator" in text
    assert ("Add a person" in text) is (persona != "boss")


@pytest.mark.parametrize("persona", ["operator", "stranger", "nobody"])
def test_staff_and_other_organisations_get_404(personas, persona):
    client = _client(getattr(personas, persona))
    assert client.get(reverse("team:people_of", kwargs={"org_slug": "acme"})).status_code == 404
    assert client.get(_person_url(personas.operator)).status_code == 404
    assert client.post(_person_url(personas.operator, "team:person_deactivate")).status_code == 404
    assert client.post(reverse("team:person_new", kwargs={"org_slug": "acme"}), {}).status_code == 404
    personas.operator.refresh_from_db()
    assert personas.operator.is_active


def test_the_boss_reads_but_every_write_is_a_404(personas):
    boss = _client(personas.boss)
    page = boss.get(_person_url(personas.operator)).content.decode()
    assert "Deactivate" not in page and "Save roles" not in page
    for name in (
        "team:person_deactivate",
        "team:person_password_link",
        "team:person_roles",
        "team:person_details",
    ):
        assert boss.post(_person_url(personas.operator, name)).status_code == 404
    assert not PersonChange.objects.exists()


def test_a_lead_cannot_reach_another_organisations_people_or_a_superuser(personas):
    lead = _client(personas.lead)
    assert lead.get(_person_url(personas.stranger)).status_code == 404
    assert lead.post(_person_url(personas.stranger, "team:person_deactivate")).status_code == 404
    OrgMembership.objects.create(user=personas.superuser, organisation=personas.acme, role=OrgRole.LEAD)
    assert lead.post(_person_url(personas.superuser, "team:person_password_link")).status_code == 404
    personas.superuser.refresh_from_db()
    assert personas.superuser.has_usable_password()


def test_a_store_of_another_organisation_cannot_be_given(personas):
    with pytest.raises(services.PermissionDenied):
        services.person_roles_set(
            organisation=personas.acme,
            by=personas.lead,
            person=personas.operator,
            roles=RoleSet(store_roles=frozenset({(personas.store_c.pk, StoreRole.OPERATOR)})),
        )
    assert not StoreAssignment.objects.filter(store=personas.store_c).exists()


def test_a_lead_cannot_reset_someone_who_also_works_for_another_organisation(personas):
    StoreAssignmentFactory(user=personas.operator, store=personas.store_c, role=StoreRole.OPERATOR)
    response = _client(personas.lead).post(
        _person_url(personas.operator, "team:person_password_link"), follow=True
    )
    assert "also works for another organisation" in response.content.decode()
    personas.operator.refresh_from_db()
    assert personas.operator.has_usable_password()


# --- Adding and the set-password link ----------------------------------------------------------------


def test_a_person_without_email_gets_a_link_shown_once_that_works_once(personas):
    lead = _client(personas.lead)
    response = _add(lead, **{f"store-{personas.store_b.pk}-customer_service": "on"})
    person = User.objects.get(username="xiaomei")
    assert response["Location"] == _person_url(person)
    assert not person.has_usable_password() and person.is_active
    assert StoreAssignment.objects.filter(
        user=person, store=personas.store_b, role="customer_service"
    ).exists()
    assert person.profile.phone == "138" and person.profile.language == personas.acme.default_language
    page = lead.get(response["Location"]).content.decode()
    link = _shown_link(page)
    assert "http://testserver/account/welcome/" not in lead.get(response["Location"]).content.decode()
    assert "Waiting for them to set a password" in lead.get(response["Location"]).content.decode()

    newcomer = _newcomer()
    form_page = newcomer.get(link, follow=True)
    assert "Choose a password" in form_page.content.decode()
    set_url = form_page.redirect_chain[-1][0]
    done = newcomer.post(set_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert done.status_code == 302
    assert newcomer.get(reverse("tasks:checklist")).status_code == 200  # logged in, a staff page
    person.refresh_from_db()
    assert person.check_password(NEW_PASSWORD)
    again = _newcomer().get(link, follow=True).content.decode()
    assert "This link does not work any more" in again


def test_a_person_with_an_email_gets_the_link_by_email_in_their_language(personas):
    lead = _client(personas.lead)
    _add(lead, email="xm@example.com", **{f"store-{personas.store_a.pk}-designer": "on"})
    (message,) = mail.outbox
    assert message.to == ["xm@example.com"]
    assert "/account/welcome/" in message.body and "xiaomei" in message.body
    assert "您" in message.body or "你" in message.body  # Acme's default language: Chinese
    page = lead.get(_person_url(User.objects.get(username="xiaomei"))).content.decode()
    assert "/account/welcome/" not in page


def test_an_expired_link_does_not_work(personas, settings):
    person = personas.operator

    class ThreeDaysAgo(PasswordResetTokenGenerator):
        def _now(self):
            return dt.datetime.now() - dt.timedelta(seconds=settings.PASSWORD_RESET_TIMEOUT + 60)

    token = ThreeDaysAgo().make_token(person)
    link = reverse(
        "password_set", kwargs={"uidb64": urlsafe_base64_encode(force_bytes(person.pk)), "token": token}
    )
    assert "This link does not work any more" in _newcomer().get(link, follow=True).content.decode()


def test_a_new_link_ends_the_old_one_the_password_and_the_sessions(personas):
    person = personas.operator
    person.set_password("old-Pass-1234")
    person.save()
    phone = _client(person)
    first = services.password_link_make(organisation=personas.acme, by=personas.lead, person=person)
    second = services.password_link_make(organisation=personas.acme, by=personas.lead, person=person)
    assert "This link does not work any more" in _newcomer().get(first, follow=True).content.decode()
    assert "Choose a password" in _newcomer().get(second, follow=True).content.decode()
    person.refresh_from_db()
    assert not person.check_password("old-Pass-1234")
    assert phone.get(reverse("tasks:checklist")).status_code == 302  # logged out
    assert PersonChange.objects.filter(person=person, action="password_link").count() == 2


def test_a_taken_username_is_refused_by_name(personas):
    response = _add(
        _client(personas.lead), username="Operator", **{f"store-{personas.store_a.pk}-operator": "on"}
    )
    assert response.status_code == 200 and "This username is taken." in response.content.decode()


def test_no_superuser_rights_can_be_given(personas):
    _add(_client(personas.lead), is_superuser="on", is_staff="on", **{"org-lead": "on"})
    person = User.objects.get(username="xiaomei")
    assert not person.is_superuser and not person.is_staff
    assert OrgMembership.objects.filter(user=person, role=OrgRole.LEAD).exists()


# --- Roles, deactivation, history --------------------------------------------------------------------


def test_moving_someone_to_another_store_takes_effect_at_their_next_request(personas):
    operator = _client(personas.operator)
    assert operator.get(reverse("stores:detail", args=["store-a"])).status_code == 200
    response = _client(personas.lead).post(
        _person_url(personas.operator, "team:person_roles"), {f"store-{personas.store_b.pk}-operator": "on"}
    )
    assert response.status_code == 302
    assert operator.get(reverse("stores:detail", args=["store-a"])).status_code == 404
    assert operator.get(reverse("stores:detail", args=["store-b"])).status_code == 200
    (change,) = PersonChange.objects.filter(person=personas.operator, action="roles")
    assert change.before == {"roles": ["store-a:operator"]}
    assert change.after == {"roles": ["store-b:operator"]}
    assert change.changed_by == personas.lead
    page = _client(personas.lead).get(_person_url(personas.operator)).content.decode()
    assert "store-a:operator" in page and "store-b:operator" in page and "Roles changed" in page


def test_the_last_lead_cannot_be_removed_or_deactivated(personas):
    lead = _client(personas.lead)
    response = lead.post(_person_url(personas.lead, "team:person_roles"), {}, follow=True)
    assert "is the last ops lead of Acme" in response.content.decode()
    with pytest.raises(services.TeamRefused, match="last ops lead"):
        services.person_deactivate(organisation=personas.acme, by=personas.superuser, person=personas.lead)
    assert OrgMembership.objects.filter(user=personas.lead, role=OrgRole.LEAD).exists()
    # With a second lead, the first may step down.
    services.person_roles_set(
        organisation=personas.acme,
        by=personas.lead,
        person=personas.boss,
        roles=RoleSet(organisation_roles=frozenset({OrgRole.BOSS, OrgRole.LEAD})),
    )
    services.person_roles_set(
        organisation=personas.acme,
        by=personas.lead,
        person=personas.lead,
        roles=RoleSet(organisation_roles=frozenset({OrgRole.BOSS})),
    )
    assert not OrgMembership.objects.filter(user=personas.lead, role=OrgRole.LEAD).exists()


def test_deactivation_ends_sessions_and_keeps_the_history_named(personas):
    operator = _client(personas.operator)
    task_services.checklist_generate(day=dt.date(2026, 11, 16))  # a Monday: store A's lists
    assert operator.get(reverse("tasks:checklist")).status_code == 200
    response = _client(personas.lead).post(_person_url(personas.operator, "team:person_deactivate"))
    assert response.status_code == 302
    assert operator.get(reverse("tasks:checklist")).status_code == 302
    personas.operator.refresh_from_db()
    assert not personas.operator.is_active
    # They keep their roles on record, their lists stay theirs, and they get no new list.
    assert StoreAssignment.objects.filter(user=personas.operator).exists()
    kept = DailyChecklist.objects.filter(user=personas.operator).count()
    task_services.checklist_generate(day=dt.date(2026, 11, 17))
    assert DailyChecklist.objects.filter(user=personas.operator).count() == kept
    team = _client(personas.lead).get(reverse("team:people")).content.decode()
    deactivated = team.split("Deactivated", 1)[1]
    assert 'href="' + _person_url(personas.operator) + '"' in deactivated
    old_day = _client(personas.lead).get(reverse("tasks:team") + "?org=acme&day=2026-11-16").content.decode()
    assert "operator" in old_day
    # Reactivated, they log in again with the same password.
    services.person_reactivate(organisation=personas.acme, by=personas.lead, person=personas.operator)
    actions = list(PersonChange.objects.filter(person=personas.operator).values_list("action", flat=True))
    assert actions == ["reactivated", "deactivated"]


def test_nobody_deactivates_themselves(personas):
    OrgMembership.objects.create(user=personas.boss, organisation=personas.acme, role=OrgRole.LEAD)
    with pytest.raises(services.TeamRefused, match="cannot deactivate yourself"):
        services.person_deactivate(organisation=personas.acme, by=personas.lead, person=personas.lead)


def test_the_list_filters_by_store_and_role_and_shows_todays_checklist(personas):
    StoreAssignmentFactory(user=personas.designer, store=personas.store_b, role=StoreRole.DESIGNER)
    lead = _client(personas.lead)
    in_b = lead.get(reverse("team:people") + f"?store={personas.store_b.pk}").content.decode()
    assert ">designer<" in in_b and ">operator<" not in in_b
    leads = lead.get(reverse("team:people") + "?role=lead").content.decode()
    assert ">lead<" in leads and ">designer<" not in leads
    task_services.checklist_generate(day=timezone.localdate())
    page = lead.get(reverse("team:people")).content.decode()
    assert "Today&#x27;s checklist" in page or "Today's checklist" in page


def test_a_details_change_is_recorded_with_before_and_after(personas):
    email_before = personas.content.email
    services.person_details_update(
        organisation=personas.acme,
        by=personas.lead,
        person=personas.content,
        first_name="文",
        last_name="李",
        email="wen@example.com",
        phone="139",
    )
    (change,) = PersonChange.objects.filter(person=personas.content)
    assert change.before["email"] == email_before != "wen@example.com"
    assert change.after["email"] == "wen@example.com" and change.after["phone"] == "139"


def test_a_superuser_may_do_what_the_lead_does(personas):
    root = _client(personas.superuser)
    assert root.post(_person_url(personas.designer, "team:person_deactivate")).status_code == 302
    assert root.post(_person_url(personas.designer, "team:person_reactivate")).status_code == 302
    assert root.post(_person_url(personas.designer, "team:person_password_link")).status_code == 302
    assert "/account/welcome/" in root.get(_person_url(personas.designer)).content.decode()
    actions = PersonChange.objects.filter(person=personas.designer, changed_by=personas.superuser)
    assert set(actions.values_list("action", flat=True)) == {"deactivated", "reactivated", "password_link"}


def test_the_team_page_costs_the_same_queries_for_5_or_50_people(personas):
    def queries() -> int:
        lead = _client(personas.lead)
        with CaptureQueriesContext(connection) as captured:
            assert lead.get(reverse("team:people")).status_code == 200
        return len(captured)

    task_services.checklist_generate(day=timezone.localdate())
    few = queries()
    for _number in range(45):
        StoreAssignmentFactory(store=personas.store_b, role=StoreRole.CUSTOMER_SERVICE)
    task_services.checklist_generate(day=timezone.localdate())
    assert queries() == few


def test_reading_a_persons_page_writes_nothing(personas):
    from stores.models import Profile

    assert not Profile.objects.filter(user=personas.operator).exists()
    assert _client(personas.lead).get(_person_url(personas.operator)).status_code == 200
    assert not Profile.objects.filter(user=personas.operator).exists()
