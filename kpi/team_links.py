"""The kpi app's link on a person's team page (stores.team.columns): their scores, for whoever may
see them (kpi.scorecard_access), so a deactivated person's scores stay one click away."""

from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy

from kpi import scorecard_access
from stores.team.columns import PersonLink, person_link_register


def scores_url(*, viewer, person, organisation) -> str | None:
    if not scorecard_access.scores_visible_to(viewer, organisation).filter(pk=person.pk).exists():
        return None
    return reverse("kpi:person", args=[person.username]) + "?" + urlencode({"org": organisation.slug})


def team_links_register() -> None:
    person_link_register(PersonLink("kpi_scores", gettext_lazy("KPI scores"), 10, scores_url))
