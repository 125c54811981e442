"""Seed the traffic-source mapping: the canonical groups and the names files have used for them,
renames included (stores/traffic_sources.py). Editable afterwards; re-running adds nothing twice."""

from django.db import migrations


def seed(apps, schema_editor):
    from stores.traffic_sources import seed

    seed(apps.get_model("stores", "TrafficSourceGroup"), apps.get_model("stores", "TrafficSourceName"))


class Migration(migrations.Migration):
    dependencies = [("stores", "0006_items_and_traffic_sources")]

    # Undoing leaves the rows: the tables go with 0006's undo.
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
