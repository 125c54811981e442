"""A new organisation starts with the default checklists (docs/checklists.md#default-lists),
which its ops lead then edits.

Organisations that existed before the checklists got theirs in migration 0002.
"""

from tasks import services


def default_templates_for_new_organisation(
    sender, instance, created: bool, raw: bool = False, **kwargs
) -> None:
    if created and not raw:
        services.checklist_templates_seed(organisation=instance)
