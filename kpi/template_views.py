"""The ops lead's KPI templates (docs/kpis.md#templates): each role's items, edited as one form. A
changed template applies from the next period. The ops lead's (and a superuser's) only: others 404."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from kpi import scorecard_access, template_forms
from kpi.models import KpiTemplate
from kpi.models.scorecards import ROLE_CHOICES
from kpi.services.kpi_templates import DEFAULT_TEMPLATES, TemplateRefused, kpi_template_save
from stores import access


def _organisation_led_or_404(request):
    organisation = access.organisation_led_or_404(request.user, request.GET.get("org"))
    if not scorecard_access.may_score(request.user, organisation):
        raise Http404("Not the ops lead.")
    return organisation


def kpi_template_edit(request, role: str):
    """/kpi/templates/<role>/?org=: the role's items; saving replaces them (weights must add up to 100 %)."""
    organisation = _organisation_led_or_404(request)
    roles = dict(ROLE_CHOICES)
    if role not in roles:
        raise Http404("No such role.")
    template = KpiTemplate.objects.filter(organisation=organisation, role=role).first()
    # Without a template of its own yet, the role starts from the field's defaults (nothing is saved
    # until the ops lead saves).
    items = list(template.items.all()) if template else list(DEFAULT_TEMPLATES.get(role, ()))
    if request.method == "POST":
        formset = template_forms.ItemFormSet(request.POST)
        if formset.is_valid():
            try:
                kpi_template_save(
                    organisation=organisation, role=role, items=template_forms.specs_of(formset)
                )
            except TemplateRefused as refused:
                formset.refusal = str(refused)
            else:
                messages.success(
                    request, _("%(role)s: saved; it applies from the next period.") % {"role": roles[role]}
                )
                return redirect(request.get_full_path())
    else:
        formset = template_forms.ItemFormSet(initial=template_forms.initial_of(items))
    weights = sum((item.weight for item in items), 0)
    return render(
        request,
        "kpi/scorecards/template_edit.html",
        {
            "organisation": organisation,
            "role": role,
            "role_label": roles[role],
            "roles": ROLE_CHOICES,
            "formset": formset,
            "weights": weights,
        },
    )
