"""Organisations that exist before the checklists get the default lists of docs/checklists.md#default-lists
(new organisations get them when they are created: tasks.receivers)."""

from django.db import migrations


def seed(apps, schema_editor):
    from tasks.defaults import DEFAULT_TEMPLATES

    Organisation = apps.get_model("stores", "Organisation")
    ChecklistTemplate = apps.get_model("tasks", "ChecklistTemplate")
    ChecklistTemplateItem = apps.get_model("tasks", "ChecklistTemplateItem")
    for organisation in Organisation.objects.all():
        for default in DEFAULT_TEMPLATES:
            template, created = ChecklistTemplate.objects.get_or_create(
                organisation=organisation,
                role=str(default.role),
                store=None,
                defaults={"also_on_rest_days": default.also_on_rest_days},
            )
            if created:
                ChecklistTemplateItem.objects.bulk_create(
                    ChecklistTemplateItem(
                        template=template,
                        position=position,
                        title=item.title,
                        guidance=item.guidance,
                        time_of_day=str(item.time_of_day),
                        due_time=item.due_time,
                        needs=str(item.needs),
                    )
                    for position, item in enumerate(default.items, start=1)
                )


class Migration(migrations.Migration):
    dependencies = [("tasks", "0001_initial"), ("stores", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
