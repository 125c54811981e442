"""Item details: another app's figures under a checklist item's title, on the checklist pages.

A higher app (kpi: the store's daily target and yesterday's actual on the 目标对比 item) registers an
ItemDetail in its AppConfig.ready(); tasks never imports it. The checklist pages read every
registered detail once for all the items they show (`item_details_for`), in a fixed number of
queries, and render each applicable item's detail templates under its title.

Items have no stable code: a day's item is a copy of its template item's text (tasks.models), and the
ops lead may rename it. A detail recognises its item by title, normally a default list's wording
(tasks.defaults), such as TARGET_COMPARISON; an item renamed by the ops lead shows no detail.
"""

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass

from tasks.models import ChecklistItem, DailyChecklist

# The default operator's item comparing yesterday with the day's target (tasks.defaults.OPERATOR).
TARGET_COMPARISON = "目标对比"


@dataclass(frozen=True)
class ItemDetail:
    code: str
    applies_to: Callable[[ChecklistItem], bool]  # e.g. titled(TARGET_COMPARISON)
    # The checklists of the page's applicable items → figures by checklist pk (a missing key or None:
    # no detail on that list's item). Must run a fixed number of queries whatever the checklists.
    compute: Callable[[Sequence[DailyChecklist]], Mapping[int, object]]
    template: str  # rendered under the item's title; context: item, figures


@dataclass(frozen=True)
class DetailShown:
    """One detail of one item, as its template is included: the template and its figures."""

    code: str
    template: str
    figures: object


def titled(title: str) -> Callable[[ChecklistItem], bool]:
    """`applies_to` for the items of one title (items have no stable code, see above)."""
    return lambda item: item.title == title


_registry: dict[str, ItemDetail] = {}


def item_detail_register(detail: ItemDetail) -> None:
    """Add (or, with the same code, replace) a detail; an item shows its details in registration
    order. Called from an app's AppConfig.ready(); registering twice is harmless."""
    _registry[detail.code] = detail


def item_detail_unregister(code: str) -> None:
    """Remove a detail (for tests); an unknown code is ignored."""
    _registry.pop(code, None)


def item_details_all() -> list[ItemDetail]:
    return list(_registry.values())


def item_details_for(items: Iterable[ChecklistItem]) -> dict[int, list[DetailShown]]:
    """The details to show under each of `items` (item pk → details, in registration order; an item
    without any is left out). Each registered detail is computed once, for the checklists of the
    items it applies to, and not at all when it applies to none. The items' checklists must be
    loaded with them (select_related("checklist")): they are not read again."""
    items = list(items)
    shown: dict[int, list[DetailShown]] = {}
    for detail in item_details_all():
        applicable = [item for item in items if detail.applies_to(item)]
        if not applicable:
            continue
        checklists = list({item.checklist_id: item.checklist for item in applicable}.values())
        figures = detail.compute(checklists) or {}
        for item in applicable:
            found = figures.get(item.checklist_id)
            if found is not None:
                shown.setdefault(item.pk, []).append(DetailShown(detail.code, detail.template, found))
    return shown
