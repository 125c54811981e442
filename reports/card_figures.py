"""Card figures: another app's figures on each dashboard card (each store's and the total's).

A higher app (kpi: a store's month pacing) registers a CardFigures in its AppConfig.ready();
reports never imports it. `reports.dashboard.dashboard_get` computes every registered provider
once for the page's stores (StoreCard.figures), renders each provider's template inside each card
that has figures (StoreCard.figure_parts), and sorts the stores' cards with each provider's
`attention` after the alerts: among stores with as many alerts, the most urgent by the provider
comes first (kpi: the furthest behind its pacing). Without a registration the cards are as
without this module.
"""

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from stores.models import Store


def no_attention(figures: object | None) -> object:
    """The default sort key part: every card alike."""
    return 0


@dataclass(frozen=True)
class CardFigures:
    code: str
    # The page's stores and day → each card's figures: store pk, or None for the total's card. A
    # missing key or None is "no figures". Must run a fixed number of queries whatever the stores.
    compute: Callable[[Sequence[Store], dt.date], Mapping[int | None, object]]
    template: str  # included inside each card that has figures; context: card, figures
    # A card's part of the sort key (smaller: more urgent), called with None for a card without
    # figures; it must order every value it returns against every other (numbers, say).
    attention: Callable[[object | None], object] = no_attention


@dataclass(frozen=True)
class FigurePart:
    """One provider's figures on one card, with the template that shows them."""

    code: str
    template: str
    figures: object


_registry: dict[str, CardFigures] = {}


def card_figures_register(figures: CardFigures) -> None:
    """Add (or, with the same code, replace) a provider; cards show them, and sort by them, in
    registration order. Called from an app's AppConfig.ready(); registering twice is harmless."""
    _registry[figures.code] = figures


def card_figures_unregister(code: str) -> None:
    """Remove a provider (for tests); an unknown code is ignored."""
    _registry.pop(code, None)


def card_figures_all() -> list[CardFigures]:
    return list(_registry.values())


@dataclass(frozen=True)
class CardFiguresComputed:
    """Every registered provider's figures of one page's cards, computed once."""

    providers: tuple[CardFigures, ...]
    by_code: dict[str, Mapping[int | None, object]]  # code → {store pk, None for the total: figures}

    def of(self, store: Store | None) -> dict[str, object]:
        """One card's figures by provider code (None: none for this card)."""
        key = store.pk if store is not None else None
        return {code: by_card.get(key) for code, by_card in self.by_code.items()}


def card_figures_compute(*, stores: Sequence[Store], day: dt.date) -> CardFiguresComputed:
    """Each registered provider's figures of the stores' cards and the total's, once each."""
    providers = tuple(card_figures_all())
    return CardFiguresComputed(
        providers, {provider.code: provider.compute(stores, day) or {} for provider in providers}
    )
