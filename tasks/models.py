"""Daily checklists (日常工作清单) and daily reports (日报), docs/checklists.md.

A ChecklistTemplate is the ops lead's list for one role, for every store of the organisation or
for one store (a store's own template replaces the organisation-wide one there). Each working day
every staff member gets a DailyChecklist per store and role they hold, whose items copy the
template items' text and kind: editing a template never changes a day already generated.
A tick is one small update of one ChecklistItem row, and each change is kept as a ChecklistEvent.
"""

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from stores.models import Organisation, Store, StoreRole, person_field


class TimeOfDay(models.TextChoices):
    MORNING = "morning", _("Morning (上午)")
    AFTERNOON = "afternoon", _("Afternoon (下午)")
    EVENING = "evening", _("Evening (晚上)")


class Needs(models.TextChoices):
    """What ticking an item needs besides the tick."""

    NOTHING = "nothing", _("Just a tick")
    NOTE = "note", _("A note")
    NUMBER = "number", _("A number")
    LINK = "link", _("A link")


class ItemContent(models.Model):
    """What an item says and needs: kept on the template, and copied into each day's item."""

    position = models.PositiveSmallIntegerField(_("position"), default=0)
    title = models.CharField(_("title"), max_length=100)
    guidance = models.TextField(_("guidance"), blank=True)
    time_of_day = models.CharField(
        _("time of day"), max_length=10, choices=TimeOfDay.choices, default=TimeOfDay.MORNING
    )
    due_time = models.TimeField(_("due by"), null=True, blank=True)
    needs = models.CharField(_("ticking needs"), max_length=10, choices=Needs.choices, default=Needs.NOTHING)

    class Meta:
        abstract = True

    CONTENT_FIELDS = ("position", "title", "guidance", "time_of_day", "due_time", "needs")


class ChecklistTemplate(models.Model):
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="checklist_templates",
        verbose_name=_("organisation"),
    )
    role = models.CharField(_("role"), max_length=20, choices=StoreRole.choices)
    store = models.ForeignKey(
        Store,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="checklist_templates",
        verbose_name=_("store"),
        help_text=_("Empty: every store of the organisation without a list of its own."),
    )
    also_on_rest_days = models.BooleanField(
        _("also on rest days"),
        default=False,
        help_text=_("Give this list on weekends and public holidays too (customer service, for instance)."),
    )
    active = models.BooleanField(_("active"), default=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    updated_by = person_field(_("updated by"))

    class Meta:
        verbose_name = _("checklist template")
        verbose_name_plural = _("checklist templates")
        ordering = ["organisation", "role", "store"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "role"],
                condition=Q(store__isnull=True),
                name="checklist_template_one_per_role",
            ),
            models.UniqueConstraint(
                fields=["role", "store"],
                condition=Q(store__isnull=False),
                name="checklist_template_one_per_store_role",
            ),
        ]

    def __str__(self) -> str:
        where = self.store.name if self.store_id else _("all stores")
        return f"{self.get_role_display()} · {where}"


class ChecklistTemplateItem(ItemContent):
    template = models.ForeignKey(
        ChecklistTemplate, on_delete=models.CASCADE, related_name="items", verbose_name=_("template")
    )

    class Meta:
        verbose_name = _("checklist template item")
        verbose_name_plural = _("checklist template items")
        ordering = ["template", "position", "pk"]

    def __str__(self) -> str:
        return self.title


class DailyChecklist(models.Model):
    """One person's list for one store, role and day."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="checklists", verbose_name=_("user")
    )
    store = models.ForeignKey(
        Store, on_delete=models.CASCADE, related_name="checklists", verbose_name=_("store")
    )
    role = models.CharField(_("role"), max_length=20, choices=StoreRole.choices)
    day = models.DateField(_("day"))
    template = models.ForeignKey(
        ChecklistTemplate,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("template"),
    )
    generated_at = models.DateTimeField(_("generated at"), auto_now_add=True)

    class Meta:
        verbose_name = _("daily checklist")
        verbose_name_plural = _("daily checklists")
        ordering = ["day", "store", "role"]
        constraints = [
            models.UniqueConstraint(fields=["user", "store", "role", "day"], name="daily_checklist_unique"),
        ]
        indexes = [models.Index(fields=["store", "day"], name="daily_checklist_store_day")]

    def __str__(self) -> str:
        return f"{self.user} · {self.store} · {self.get_role_display()} · {self.day:%Y-%m-%d}"


class ChecklistItem(ItemContent):
    """One item of one day: its own copy of the text, and whether, when and by whom it was done."""

    checklist = models.ForeignKey(
        DailyChecklist, on_delete=models.CASCADE, related_name="items", verbose_name=_("checklist")
    )
    template_item = models.ForeignKey(
        ChecklistTemplateItem,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("template item"),
    )
    done = models.BooleanField(_("done"), default=False)
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)
    done_by = person_field(_("done by"))
    note = models.TextField(_("note"), blank=True)
    number = models.DecimalField(_("number"), max_digits=14, decimal_places=2, null=True, blank=True)
    link = models.URLField(_("link"), max_length=500, blank=True)
    updated_at = models.DateTimeField(_("updated at"), null=True, blank=True)

    class Meta:
        verbose_name = _("checklist item")
        verbose_name_plural = _("checklist items")
        ordering = ["checklist", "position", "pk"]
        constraints = [
            # Generating a list twice (two workers, a page opened during the morning job) cannot
            # copy a template item twice; NULLs (a deleted template item) never clash.
            models.UniqueConstraint(fields=["checklist", "template_item"], name="checklist_item_unique"),
        ]

    def __str__(self) -> str:
        return self.title

    def due_at(self) -> dt.datetime | None:
        """The moment the item is due, in business time; None when it has no due time."""
        if self.due_time is None:
            return None
        return timezone.make_aware(dt.datetime.combine(self.checklist.day, self.due_time))

    def is_overdue(self, now: dt.datetime) -> bool:
        """Not done and past its due time, or (with no due time) its day is over."""
        if self.done:
            return False
        due = self.due_at()
        if due is not None:
            return now > due
        return timezone.localdate(now) > self.checklist.day

    def was_late(self) -> bool:
        due = self.due_at()
        return bool(self.done and self.done_at and due and self.done_at > due)


class ChecklistEvent(models.Model):
    """Who changed what on an item, and when: the trail behind each tick, note and number."""

    class Action(models.TextChoices):
        TICK = "tick", _("ticked")
        UNTICK = "untick", _("unticked")
        NOTE = "note", _("note")
        NUMBER = "number", _("number")
        LINK = "link", _("link")

    item = models.ForeignKey(
        ChecklistItem, on_delete=models.CASCADE, related_name="events", verbose_name=_("item")
    )
    user = person_field(_("user"))
    at = models.DateTimeField(_("at"))
    action = models.CharField(_("action"), max_length=10, choices=Action.choices)
    value = models.TextField(_("value"), blank=True)

    class Meta:
        verbose_name = _("checklist change")
        verbose_name_plural = _("checklist changes")
        ordering = ["item", "at", "pk"]

    def __str__(self) -> str:
        return f"{self.item} · {self.get_action_display()} · {self.at:%Y-%m-%d %H:%M}"


class DailyReport(models.Model):
    """日报: what a person did today, what got in the way, and tomorrow's plan; one per person and day."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="daily_reports",
        verbose_name=_("user"),
    )
    day = models.DateField(_("day"))
    done_today = models.TextField(_("done today"))
    problems = models.TextField(_("problems"), blank=True)
    plan_tomorrow = models.TextField(_("plan for tomorrow"))
    submitted_at = models.DateTimeField(_("submitted at"))
    updated_at = models.DateTimeField(_("updated at"))

    class Meta:
        verbose_name = _("daily report (日报)")
        verbose_name_plural = _("daily reports (日报)")
        ordering = ["-day", "user"]
        constraints = [models.UniqueConstraint(fields=["user", "day"], name="daily_report_one_per_day")]
        # The dashboard asks for one day's 日报 of everyone on every visit: not all of history.
        indexes = [models.Index(fields=["day"], name="daily_report_by_day")]

    def __str__(self) -> str:
        return f"{self.user} · {self.day:%Y-%m-%d}"
