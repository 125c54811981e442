"""The navigation: every page's links, by the user's roles as they are at this request, in their language."""

import pytest
from django.urls import reverse

from stores.models import OrgMembership

TEAM, JOBS, ADMIN = reverse("tasks:team"), reverse("reports:rollup_status"), reverse("admin:index")


def _links(client) -> set[str]:
    page = client.get(reverse("stores:list")).content.decode()
    nav = page[page.index('<nav class="nav">') : page.index("</nav>")]
    return {url for url in (TEAM, JOBS, ADMIN) if f'href="{url}"' in nav}


@pytest.mark.parametrize(
    ("persona", "links"),
    [
        ("lead", {TEAM, JOBS}),
        ("boss", {TEAM}),
        ("operator", set()),
        ("nobody", set()),
        ("superuser", {TEAM, JOBS, ADMIN}),
    ],
)
def test_the_links_follow_the_role(personas, client_for, persona, links):
    assert _links(client_for(personas.user(persona))) == links


def test_a_role_removed_takes_its_links_away_at_the_next_request(personas, client_for):
    client = client_for(personas.lead)
    assert _links(client) == {TEAM, JOBS}
    OrgMembership.objects.filter(user=personas.lead).update(role="boss")
    assert _links(client) == {TEAM}
    OrgMembership.objects.filter(user=personas.lead).delete()
    assert _links(client) == set()


def test_the_links_are_in_the_users_language(personas, client_for):
    client = client_for(personas.lead)
    assert "团队清单" in client.get(reverse("stores:list")).content.decode()
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    page = client.get(reverse("stores:list")).content.decode()
    assert "Team checklists" in page and "团队清单" not in page
