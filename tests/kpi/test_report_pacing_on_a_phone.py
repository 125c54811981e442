"""The reports' pacing table reads completion (完成进度) and time progress (时间进度) first, right
after the period's name, then the amounts (issue 16: on a 375 px phone the boss's journey saw the
week's, month's and year's target and actual but not how far along they were)."""

import re

from django.conf import settings
from django.urls import reverse

from tests.kpi.test_pacing_everywhere import planned  # noqa: F401 (fixture)


def test_completion_and_time_progress_come_first(planned, client_for):  # noqa: F811
    client = client_for(planned.boss)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get(reverse("reports:weekly")).content.decode()

    table = page[page.index('class="metrics pacing-table"') :]
    head = table[table.index("<thead>") : table.index("</thead>")]
    headers = [re.sub(r"<[^>]+>", "", cell).strip() for cell in re.findall(r"<th>(.*?)</th>", head)]
    assert headers[1:5] == [
        "Completion (完成进度)",
        "Time progress, planned / linear (时间进度)",
        "Target",
        "Actual",
    ]
    row = table[table.index("<tbody>") :]
    row = row[: row.index("</tr>")]
    figures = re.findall(r'data-figure="(\w+)"', row)
    assert figures == ["completion", "target", "actual"]
