"""Background jobs of the tasks app: thin wrappers over services, safe to run twice."""

import datetime as dt

from stores import periods
from tasks import services


def checklists_generate(day: str | None = None) -> int:
    """Each morning: every staff member's lists of today (Asia/Shanghai), or of `day` (ISO date).
    Running it again (a retry, a second scheduler) creates nothing twice. Returns lists created."""
    return services.checklist_generate(day=dt.date.fromisoformat(day) if day else periods.today())
