"""An import's "rows in file" counts every data row of the file, those with errors too (issue 16: a
refused 7-day export, one visitor count written as text, said it had 6 rows)."""

import pytest

from stores.imports.services import import_batch_create, import_batch_run
from stores.models import ImportBatch
from tests.factories import StoreFactory

pytestmark = pytest.mark.django_db
HEADER = "店铺整体日报\n统计时间：2026-11-01 ~ 2026-11-03\n\n统计日期,访客数,支付买家数,支付金额\n"


def _checked(lines: str) -> ImportBatch:
    batch = import_batch_create(
        content=(HEADER + lines).encode("utf-8-sig"),
        file_name="生意参谋.csv",
        user=None,
        store=StoreFactory(),
    )
    return import_batch_run(batch=batch, dry_run=True)


def test_a_refused_file_counts_its_rows_with_errors_too():
    batch = _checked(
        "2026-11-01,2000,50,9000\n2026-11-02,约3000,50,9000\n2026-11-03,2000,abc,9000\n合计,4000,100,18000\n"
    )
    assert batch.status == ImportBatch.Status.REFUSED
    assert len(batch.errors) == 2
    assert batch.rows_total == 3, "three days; the 合计 row is not a data row"


def test_a_good_file_counts_its_rows():
    batch = _checked("2026-11-01,2000,50,9000\n2026-11-02,2100,51,9100\n\n合计,4100,101,18100\n")
    assert batch.status == ImportBatch.Status.PREVIEWED
    assert batch.rows_total == 2
