"""The reports app's tests see only its own figures: what higher apps register into its row and card
figures registries (kpi's targets and pacing, reports.row_figures and reports.card_figures) is set
aside for each test, so the report files and the dashboard's order are exactly reports' own; a test
of the registries registers a fake provider of its own (test_row_figures.py, test_card_figures.py).
Their sections (opsdesk.sections) and alert rules stay: those are tested with the pages."""

import pytest

from reports import card_figures, row_figures


@pytest.fixture(autouse=True)
def other_apps_figures_set_aside(monkeypatch):
    monkeypatch.setattr(row_figures, "_registry", {})
    monkeypatch.setattr(card_figures, "_registry", {})
