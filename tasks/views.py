"""Pages of the checklist: the staff's own day, the team view, and the ops lead's templates.

Ticks answer JSON to the page's script (Accept: application/json) and redirect back otherwise,
so every form also works without JavaScript.
"""

import datetime as dt

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from stores import access, periods
from stores.models import StoreAssignment
from stores.periods import PeriodKind
from tasks import forms, selectors, services, workdays
from tasks.models import ChecklistTemplateItem


def _wants_json(request) -> bool:
    return "application/json" in request.headers.get("Accept", "")


def _day_url(day: dt.date) -> str:
    if day == periods.today():
        return reverse("tasks:checklist")
    return reverse("tasks:checklist_day", args=[day.isoformat()])


# --- The staff's own day --------------------------------------------------------------------------------


def checklist(request):
    return _day_page(request, periods.today())


def checklist_day(request, day: str):
    return _day_page(request, periods.parse_day_or_404(day))


def _day_page(request, day: dt.date, *, report_form: forms.DailyReportForm | None = None, status: int = 200):
    today = periods.today()
    if day > today:
        raise Http404("This day has not started yet.")
    keeps = access.keeps_checklist(request.user)
    if keeps and workdays.day_is_editable(day, today=today):
        # A morning job that did not run never leaves an empty page.
        services.checklist_generate(day=day, user=request.user)
    my_day = selectors.my_day_get(user=request.user, day=day, now=timezone.now(), today=today)
    if report_form is None:
        initial = {}
        if my_day.report:
            initial = {
                "done_today": my_day.report.done_today,
                "problems": my_day.report.problems,
                "plan_tomorrow": my_day.report.plan_tomorrow,
            }
        report_form = forms.DailyReportForm(initial=initial)
    return render(
        request,
        "tasks/checklist.html",
        {
            "my_day": my_day,
            "keeps_checklist": keeps,
            "is_today": day == today,
            "previous_day": day - dt.timedelta(days=1),
            "next_day": day + dt.timedelta(days=1) if day < today else None,
            "report_form": report_form,
            "oversees": access.organisations_overseen_by(request.user).exists(),
            "assignments": StoreAssignment.objects.filter(user=request.user, store__active=True)
            .select_related("store")
            .order_by("store__name", "role"),
        },
        status=status,
    )


@require_POST
def item_tick(request, item_id: int):
    item = selectors.checklist_item_of_owner_or_404(request.user, item_id)
    try:
        item = services.checklist_item_tick(item=item, user=request.user, **forms.tick_changes(request.POST))
    except ValidationError as error:
        message = " ".join(error.messages)
        if _wants_json(request):
            return JsonResponse({"ok": False, "error": message}, status=400)
        messages.error(request, f"{item.title}: {message}")
    else:
        if _wants_json(request):
            return JsonResponse({"ok": True, "done": item.done, "html": _item_html(request, item)})
    return redirect(f"{_day_url(item.checklist.day)}#item-{item.pk}")


def _item_html(request, item) -> str:
    """The item as the page shows it, after the change."""
    my_day = selectors.my_day_get(
        user=request.user, day=item.checklist.day, now=timezone.now(), today=periods.today()
    )
    entry = next(entry for group in my_day.groups for entry in group.items if entry.item.pk == item.pk)
    return render_to_string(
        "tasks/includes/item.html",
        {"entry": entry, "my_day": my_day},
        request=request,
    )


@require_POST
def report_submit(request, day: str):
    report_day = periods.parse_day_or_404(day)
    if not access.keeps_checklist(request.user):
        raise Http404("Only staff write a 日报.")
    form = forms.DailyReportForm(request.POST)
    if form.is_valid():
        try:
            services.daily_report_submit(user=request.user, day=report_day, **form.cleaned_data)
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                for field, field_errors in error.message_dict.items():
                    form.add_error(field, field_errors)
            else:
                form.add_error(None, error)
        else:
            messages.success(request, _("日报 submitted."))
            return redirect(f"{_day_url(report_day)}#report")
    return _day_page(request, report_day, report_form=form, status=400)


# --- The team -------------------------------------------------------------------------------------------


def team(request):
    """Boss and ops lead: the day's and the week's lists as matrices, the 日报, completion rates."""
    organisation = access.organisation_overseen_or_404(request.user, request.GET.get("org"))
    today = periods.today()
    day = periods.parse_day_or_404(request.GET["day"]) if request.GET.get("day") else today
    day = min(day, today)
    if day == today:
        services.checklist_generate(day=today, organisation=organisation)
    now = timezone.now()
    week = periods.period_containing(PeriodKind.WEEK, day)
    return render(
        request,
        "tasks/team.html",
        {
            "organisation": organisation,
            "organisations": access.organisations_overseen_by(request.user).order_by("name"),
            "day": day,
            "is_today": day == today,
            "previous_day": day - dt.timedelta(days=1),
            "next_day": day + dt.timedelta(days=1) if day < today else None,
            "week": week,
            "day_matrices": selectors.team_matrix_get(
                organisation=organisation, first=day, last=day, now=now, details=True
            ),
            "week_matrices": selectors.team_matrix_get(
                organisation=organisation, first=week.start, last=min(week.end, today), now=now
            ),
            "reports": selectors.daily_reports_get(organisation=organisation, day=day),
            "missing": selectors.daily_reports_missing(organisation=organisation, day=day),
            "completion": selectors.checklist_completion_get(
                organisation=organisation, week_start=week.start
            ),
            "working": workdays.working_day(day),
            "can_edit_templates": access.can_edit_checklist_templates(request.user, organisation),
        },
    )


# --- The ops lead's templates ---------------------------------------------------------------------------


def template_list(request):
    organisation = access.organisation_led_or_404(request.user, request.GET.get("org"))
    form = forms.NewTemplateForm(request.POST or None, organisation=organisation)
    if request.method == "POST" and form.is_valid():
        template = services.checklist_template_create(
            organisation=organisation,
            role=form.cleaned_data["role"],
            store=form.cleaned_data["store"],
            by=request.user,
        )
        return redirect("tasks:template_edit", template.pk)
    return render(
        request,
        "tasks/template_list.html",
        {
            "organisation": organisation,
            "organisations": access.organisations_led_by(request.user).order_by("name"),
            "templates": selectors.checklist_templates_get(organisation=organisation),
            "form": form,
        },
    )


def template_edit(request, template_id: int):
    template = selectors.checklist_template_led_or_404(request.user, template_id)
    settings_form = forms.TemplateSettingsForm(request.POST or None, instance=template)
    if request.method == "POST" and settings_form.is_valid():
        services.checklist_template_update(template=template, by=request.user, **settings_form.cleaned_data)
        messages.success(request, _("Checklist saved. Lists generated from now on follow it."))
        return redirect("tasks:template_edit", template.pk)
    return _template_page(request, template, settings_form=settings_form)


def _template_page(request, template, *, settings_form=None, new_item_form=None, failed=None, status=200):
    items = list(template.items.all())
    return render(
        request,
        "tasks/template_edit.html",
        {
            "template": template,
            "settings_form": settings_form or forms.TemplateSettingsForm(instance=template),
            "item_forms": [
                (
                    item,
                    failed[1]
                    if failed and failed[0] == item.pk
                    else forms.TemplateItemForm(instance=item, prefix=f"item{item.pk}"),
                )
                for item in items
            ],
            "new_item_form": new_item_form or forms.TemplateItemForm(prefix="new"),
        },
        status=status,
    )


@require_POST
def template_item_add(request, template_id: int):
    template = selectors.checklist_template_led_or_404(request.user, template_id)
    form = forms.TemplateItemForm(request.POST, prefix="new")
    if not form.is_valid():
        return _template_page(request, template, new_item_form=form, status=400)
    services.checklist_template_item_save(template=template, by=request.user, **form.cleaned_data)
    messages.success(request, _("Item added. Lists generated from now on include it."))
    return redirect("tasks:template_edit", template.pk)


def _template_item(request, template_id: int, item_id: int):
    template = selectors.checklist_template_led_or_404(request.user, template_id)
    item = ChecklistTemplateItem.objects.filter(pk=item_id, template=template).first()
    if item is None:
        raise Http404("No such item.")
    return template, item


@require_POST
def template_item_save(request, template_id: int, item_id: int):
    template, item = _template_item(request, template_id, item_id)
    form = forms.TemplateItemForm(request.POST, instance=item, prefix=f"item{item.pk}")
    if not form.is_valid():
        return _template_page(request, template, failed=(item.pk, form), status=400)
    services.checklist_template_item_save(template=template, item=item, by=request.user, **form.cleaned_data)
    messages.success(request, _("Item saved. Days already given keep their copy."))
    return redirect(f"{reverse('tasks:template_edit', args=[template.pk])}#titem-{item.pk}")


@require_POST
def template_item_delete(request, template_id: int, item_id: int):
    template, item = _template_item(request, template_id, item_id)
    services.checklist_template_item_delete(item=item, by=request.user)
    messages.success(request, _("Item removed. Days already given keep their copy."))
    return redirect("tasks:template_edit", template.pk)


@require_POST
def template_item_move(request, template_id: int, item_id: int):
    template, item = _template_item(request, template_id, item_id)
    services.checklist_template_item_move(
        item=item, by=request.user, up=request.POST.get("direction") == "up"
    )
    return redirect(f"{reverse('tasks:template_edit', args=[template.pk])}#titem-{item.pk}")
