"""Writing checklists: templates, each day's lists, ticks, notes and numbers, and the 日报.

Every change to a day is one small write (one item row, or one 日报 row) plus its trail, never a
whole form saved over what another tab or phone changed meanwhile. Generating is safe to repeat:
the unique constraints decide, and only the writer that created a list copies its items.
"""

import datetime as dt
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from stores.models import Organisation, Store, StoreAssignment
from tasks import defaults, workdays
from tasks.models import (
    ChecklistEvent,
    ChecklistItem,
    ChecklistTemplate,
    ChecklistTemplateItem,
    DailyChecklist,
    DailyReport,
    ItemContent,
    Needs,
)

NOTE_MAX_CHARS = 1000
REPORT_MAX_CHARS = 3000
NUMBER_MAX = Decimal("999999999999.99")  # what the column holds (14 digits, 2 decimals)


# --- Templates ---------------------------------------------------------------------------------


def checklist_templates_seed(*, organisation: Organisation) -> int:
    """Give an organisation the default lists (docs/checklists.md#default-lists) for every role
    that has none yet.
    Safe to repeat; returns the number of templates created."""
    created_count = 0
    for default in defaults.DEFAULT_TEMPLATES:
        with transaction.atomic():
            template, created = ChecklistTemplate.objects.get_or_create(
                organisation=organisation,
                role=default.role,
                store=None,
                defaults={"also_on_rest_days": default.also_on_rest_days},
            )
            if not created:
                continue
            ChecklistTemplateItem.objects.bulk_create(
                ChecklistTemplateItem(
                    template=template,
                    position=position,
                    title=item.title,
                    guidance=item.guidance,
                    time_of_day=item.time_of_day,
                    due_time=item.due_time,
                    needs=item.needs,
                )
                for position, item in enumerate(default.items, start=1)
            )
            created_count += 1
    return created_count


def checklist_template_create(
    *, organisation: Organisation, role: str, store: Store | None, by
) -> ChecklistTemplate:
    """A new template for a role (organisation-wide, or one store's own list, which starts as a copy
    of the organisation-wide one). Creating one that exists returns the existing one."""
    if store is not None and store.organisation_id != organisation.pk:
        raise ValidationError(_("That store belongs to another organisation."))
    with transaction.atomic():
        template, created = ChecklistTemplate.objects.get_or_create(
            organisation=organisation, role=role, store=store, defaults={"updated_by": by}
        )
        if created and store is not None:
            shared = ChecklistTemplate.objects.filter(
                organisation=organisation, role=role, store=None
            ).first()
            if shared:
                template.also_on_rest_days = shared.also_on_rest_days
                template.save(update_fields=["also_on_rest_days"])
                ChecklistTemplateItem.objects.bulk_create(
                    ChecklistTemplateItem(
                        template=template,
                        **{field: getattr(item, field) for field in ItemContent.CONTENT_FIELDS},
                    )
                    for item in shared.items.all()
                )
    return template


def checklist_template_update(
    *, template: ChecklistTemplate, by, also_on_rest_days: bool, active: bool
) -> None:
    ChecklistTemplate.objects.filter(pk=template.pk).update(
        also_on_rest_days=also_on_rest_days, active=active, updated_by=by, updated_at=timezone.now()
    )


def checklist_template_item_save(
    *, template: ChecklistTemplate, by, item: ChecklistTemplateItem | None = None, **content
) -> ChecklistTemplateItem:
    """Add an item (at the end) or change one. Only lists generated afterwards see the change:
    each day's items carry their own copy."""
    fields = {key: content[key] for key in ItemContent.CONTENT_FIELDS if key in content and key != "position"}
    with transaction.atomic():
        if item is None:
            last = template.items.aggregate(last=Max("position"))["last"] or 0
            item = ChecklistTemplateItem.objects.create(template=template, position=last + 1, **fields)
        else:
            ChecklistTemplateItem.objects.filter(pk=item.pk, template=template).update(**fields)
            item.refresh_from_db()
        ChecklistTemplate.objects.filter(pk=template.pk).update(updated_by=by, updated_at=timezone.now())
    return item


def checklist_template_item_delete(*, item: ChecklistTemplateItem, by) -> None:
    """Past days keep their copy of the item (their link to it is cleared)."""
    with transaction.atomic():
        ChecklistTemplate.objects.filter(pk=item.template_id).update(updated_by=by, updated_at=timezone.now())
        item.delete()


def checklist_template_item_move(*, item: ChecklistTemplateItem, by, up: bool) -> None:
    """Swap an item with its neighbour, then number the list 1..n again."""
    with transaction.atomic():
        ordered = list(
            ChecklistTemplateItem.objects.select_for_update()
            .filter(template_id=item.template_id)
            .order_by("position", "pk")
        )
        index = next(i for i, other in enumerate(ordered) if other.pk == item.pk)
        neighbour = index - 1 if up else index + 1
        if 0 <= neighbour < len(ordered):
            ordered[index], ordered[neighbour] = ordered[neighbour], ordered[index]
        for position, other in enumerate(ordered, start=1):
            if other.position != position:
                ChecklistTemplateItem.objects.filter(pk=other.pk).update(position=position)
        ChecklistTemplate.objects.filter(pk=item.template_id).update(updated_by=by, updated_at=timezone.now())


# --- Each day's lists ----------------------------------------------------------------------------


def _templates_by_key(organisation_ids: set[int]) -> dict[tuple[int, str, int | None], ChecklistTemplate]:
    templates = ChecklistTemplate.objects.filter(organisation_id__in=organisation_ids).prefetch_related(
        "items"
    )
    return {(template.organisation_id, template.role, template.store_id): template for template in templates}


def template_for(
    templates: dict[tuple[int, str, int | None], ChecklistTemplate], *, store: Store, role: str
) -> ChecklistTemplate | None:
    """A store's own template for the role, else the organisation's. A store's inactive template
    means no list there (it does not fall back)."""
    own = templates.get((store.organisation_id, role, store.pk))
    template = own or templates.get((store.organisation_id, role, None))
    return template if template and template.active else None


def checklist_generate(*, day: dt.date, user=None, organisation: Organisation | None = None) -> int:
    """Give every staff member (or just `user`, or `organisation`'s staff) their list for each store
    and role they hold on `day`, if it is a working day or the template says so. Safe to repeat,
    also concurrently; returns the number of lists created."""
    is_working = workdays.is_working_day(day)
    # A deactivated person keeps their roles on record (docs/team.md) but gets no new list.
    assignments = StoreAssignment.objects.filter(store__active=True, user__is_active=True).select_related(
        "store"
    )
    if user is not None:
        assignments = assignments.filter(user=user)
    if organisation is not None:
        assignments = assignments.filter(store__organisation=organisation)
    assignments = list(assignments)
    templates = _templates_by_key({assignment.store.organisation_id for assignment in assignments})
    created = 0
    for assignment in assignments:
        template = template_for(templates, store=assignment.store, role=assignment.role)
        if template is None or not template.items.all():
            continue
        if not is_working and not template.also_on_rest_days:
            continue
        created += _checklist_create(assignment=assignment, template=template, day=day)
    return created


def _checklist_create(*, assignment: StoreAssignment, template: ChecklistTemplate, day: dt.date) -> int:
    with transaction.atomic():
        checklist, created = DailyChecklist.objects.get_or_create(
            user_id=assignment.user_id,
            store_id=assignment.store_id,
            role=assignment.role,
            day=day,
            defaults={"template": template},
        )
        if not created:
            return 0
        ChecklistItem.objects.bulk_create(
            [
                ChecklistItem(
                    checklist=checklist,
                    template_item=source,
                    **{field: getattr(source, field) for field in ItemContent.CONTENT_FIELDS},
                )
                for source in template.items.all()
            ],
            ignore_conflicts=True,
        )
    return 1


# --- Ticks, notes, numbers ---------------------------------------------------------------------------


def _ensure_editable(day: dt.date, at: dt.datetime) -> None:
    today = timezone.localdate(at)
    if day > today:
        raise ValidationError(_("This day has not started yet."), code="future")
    if not workdays.day_is_editable(day, today=today):
        raise ValidationError(
            _("This day is read-only now: a day's list and 日报 can be changed until the end of %(last)s.")
            % {"last": workdays.last_editable_day(day).isoformat()},
            code="locked",
        )


def number_parse(text: str | int | Decimal) -> Decimal | None:
    """A number as typed on a phone ("1,234.5", "１２", " 3 "); "" clears it."""
    if isinstance(text, int | Decimal):
        value = Decimal(text)
    else:
        cleaned = (
            text.strip().translate(str.maketrans("０１２３４５６７８９．－", "0123456789.-")).replace(",", "")
        )
        cleaned = cleaned.replace("，", "").replace("¥", "").replace("￥", "")
        if not cleaned:
            return None
        try:
            value = Decimal(cleaned)
        except InvalidOperation:
            raise ValidationError(
                _("“%(value)s” is not a number.") % {"value": text}, code="number"
            ) from None
    if not value.is_finite():
        raise ValidationError(_("“%(value)s” is not a number.") % {"value": text}, code="number")
    value = value.quantize(Decimal("0.01"))
    if abs(value) > NUMBER_MAX:
        raise ValidationError(_("The number is too large."), code="number")
    return value


def _link_clean(text: str) -> str:
    link = text.strip()
    if link:
        try:
            URLValidator(schemes=["http", "https"])(link)
        except ValidationError:
            raise ValidationError(
                _("Enter a full link, starting with http:// or https://."), code="link"
            ) from None
    return link


NEEDS_MESSAGES = {
    Needs.NOTE: ("note", lambda: _("Add a note before ticking this item.")),
    Needs.NUMBER: ("number", lambda: _("Enter a number before ticking this item.")),
    Needs.LINK: ("link", lambda: _("Add a link before ticking this item.")),
}


def checklist_item_tick(
    *,
    item: ChecklistItem,
    user,
    done: bool | None,
    note: str | None = None,
    number: str | Decimal | None = None,
    link: str | None = None,
    at: dt.datetime | None = None,
) -> ChecklistItem:
    """Tick (done=True), untick (False) or leave as is (None), and change only the note, number or
    link that are given (None: leave it). One row update under a row lock, so whatever another
    tab changed meanwhile survives; each change is kept as a ChecklistEvent. Raises
    ValidationError (in the user's language) for a closed day or a value the item needs."""
    at = at or timezone.now()
    if item.checklist.user_id != user.pk:
        raise PermissionDenied("Only the owner of a list ticks it.")
    _ensure_editable(item.checklist.day, at)
    changes: dict[str, object] = {}
    events: list[tuple[str, str]] = []
    if note is not None:
        note = note.strip()
        if len(note) > NOTE_MAX_CHARS:
            raise ValidationError(
                _("The note is too long (at most %(max)s characters).") % {"max": NOTE_MAX_CHARS}, code="note"
            )
        changes["note"] = note
    if number is not None:
        changes["number"] = number_parse(number)
    if link is not None:
        changes["link"] = _link_clean(link)
    with transaction.atomic():
        current = ChecklistItem.objects.select_for_update().get(pk=item.pk)
        changes = {field: value for field, value in changes.items() if getattr(current, field) != value}
        for field, value in changes.items():
            events.append((field, "" if value is None else str(value)))
        will_be_done = current.done if done is None else done
        if will_be_done and current.needs in NEEDS_MESSAGES:
            field, message = NEEDS_MESSAGES[current.needs]
            if changes.get(field, getattr(current, field)) in ("", None):
                raise ValidationError(message(), code=field)
        if done is True and not current.done:
            changes.update(done=True, done_at=at, done_by=user)
            events.append((ChecklistEvent.Action.TICK, ""))
        elif done is False and current.done:
            changes.update(done=False, done_at=None, done_by=None)
            events.append((ChecklistEvent.Action.UNTICK, ""))
        if changes:
            ChecklistItem.objects.filter(pk=item.pk).update(updated_at=at, **changes)
            ChecklistEvent.objects.bulk_create(
                ChecklistEvent(item_id=item.pk, user=user, at=at, action=action, value=value)
                for action, value in events
            )
    item.refresh_from_db()
    return item


# --- 日报 ---------------------------------------------------------------------------------------------


def daily_report_submit(
    *,
    user,
    day: dt.date,
    done_today: str,
    problems: str,
    plan_tomorrow: str,
    at: dt.datetime | None = None,
) -> DailyReport:
    """Submit (or, within the grace period, correct) one's 日报 of `day`: one per person and day."""
    at = at or timezone.now()
    _ensure_editable(day, at)
    text = {
        "done_today": done_today.strip(),
        "problems": problems.strip(),
        "plan_tomorrow": plan_tomorrow.strip(),
    }
    errors = {}
    if not text["done_today"]:
        errors["done_today"] = _("Write what you did today.")
    if not text["plan_tomorrow"]:
        errors["plan_tomorrow"] = _("Write your plan for tomorrow.")
    for field, value in text.items():
        if len(value) > REPORT_MAX_CHARS:
            errors[field] = _("Too long (at most %(max)s characters).") % {"max": REPORT_MAX_CHARS}
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        report, created = DailyReport.objects.get_or_create(
            user=user, day=day, defaults={**text, "submitted_at": at, "updated_at": at}
        )
        if not created:
            DailyReport.objects.filter(pk=report.pk).update(updated_at=at, **text)
            report.refresh_from_db()
    return report
