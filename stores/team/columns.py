"""What higher apps add to the team page (docs/team.md), registered in their AppConfig.ready():

- a column of the people list (tasks: today's checklist and 日报), given every person shown at
  once so it costs a query or two for the whole team, not one per person;
- a link on a person's page (kpi: their scores), shown only to a viewer its rule lets in.
"""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class PeopleColumn:
    code: str
    label: str
    order: int
    # (organisation, people, day) -> {person id: what the cell shows (text or safe HTML)}
    cells: Callable[..., dict[int, object]]


@dataclass(frozen=True)
class PersonLink:
    code: str
    label: str
    order: int
    # (viewer, person, organisation) -> the address, or None when the viewer may not follow it
    url: Callable[..., str | None]


_columns: dict[str, PeopleColumn] = {}
_links: dict[str, PersonLink] = {}


def people_column_register(column: PeopleColumn) -> None:
    _columns[column.code] = column


def person_link_register(link: PersonLink) -> None:
    _links[link.code] = link


def people_columns() -> list[PeopleColumn]:
    return sorted(_columns.values(), key=lambda column: column.order)


def person_links(*, viewer, person, organisation) -> list[tuple[str, str]]:
    """(label, address) of each registered link the viewer may follow."""
    shown = []
    for link in sorted(_links.values(), key=lambda link: link.order):
        url = link.url(viewer=viewer, person=person, organisation=organisation)
        if url:
            shown.append((link.label, url))
    return shown
