"""The stores app's raw SQL, one module per subject, imported from here
(`from stores import metric_sql; metric_sql.insert_days(...)`):

- daily: set-based writes of the store's days (DailyMetric) and an import's kept bytes;
- partitions: the monthly partitions of the item days (ItemDaily) on PostgreSQL.
"""

from stores.metric_sql.daily import (
    COLUMNS,
    EMPTY_SPLIT,
    NULL,
    PROVENANCE,
    SPLIT,
    STAGING,
    drop_staged,
    import_content_save,
    insert_days,
    insert_from_staged,
    select_days,
    stage_days,
    staged_changes,
    staged_new_days,
    update_days,
    update_from_staged,
)
from stores.metric_sql.partitions import ItemPartition, item_partitions_ensure, item_partitions_list

__all__ = [
    "COLUMNS",
    "EMPTY_SPLIT",
    "NULL",
    "PROVENANCE",
    "SPLIT",
    "STAGING",
    "ItemPartition",
    "drop_staged",
    "import_content_save",
    "insert_days",
    "insert_from_staged",
    "item_partitions_ensure",
    "item_partitions_list",
    "select_days",
    "stage_days",
    "staged_changes",
    "staged_new_days",
    "update_days",
    "update_from_staged",
]
