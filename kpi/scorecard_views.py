"""The KPI scorecard pages (issue 14): the team table (/kpi/), a person's page, the ops lead's manual
items, closing and reopening a month, and their .xlsx files.

Who sees whose scores is kpi.scorecard_selectors.scores_visible_to: the bosses and ops leads of an
organisation see everyone in it, staff only themselves (another person's page is a 404). Closing,
reopening and manual scores are the ops lead's (may_score); the boss's POST answers 403 with
nothing changed.
"""

import re
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpResponse, HttpResponseForbidden
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kpi import charts, scorecard_access, scorecard_lines
from kpi import scorecard_exports as exports
from kpi import scorecard_forms as forms
from kpi import scorecard_selectors as selectors
from kpi.services.manual_scores import ManualScoresRefused, manual_scores_save
from kpi.services.scores import ScoresRefused, month_close, month_reopen
from stores import periods

COLOUR = re.compile(r"^(#[0-9a-fA-F]{3,8}|[a-zA-Z]{3,20})$")


def _links(choice: forms.ScoreChoice, *, filters: bool = True) -> dict[str, str]:
    """The query strings of the page's links: other periods, the other kind, sorting, the file."""

    def query(**changes) -> str:
        params = {
            "org": choice.organisation.slug,
            "kind": choice.kind,
            "period": choice.period.label,
            "store": choice.store if filters else "",
            "role": choice.role,
            "sort": choice.sort if choice.sort != "person" else "",
        }
        params.update(changes)
        return urlencode({key: value for key, value in params.items() if value})

    return {
        "here": query(),
        "filters": query(sort=""),
        "period": query(store="", role="", sort=""),
        "previous": query(period=choice.previous.label),
        "next": query(period=choice.next.label) if choice.next else "",
        "current": query(period=""),
        "week": query(kind="week", period=""),
        "month": query(kind="month", period=""),
    }


# The team table -------------------------------------------------------------------------------


def _team(request) -> tuple[list, forms.ScoreChoice, selectors.TeamTable]:
    organisations = scorecard_access.score_organisations_get(user=request.user)
    choice = forms.score_choice(request.GET, organisations=organisations)
    table = selectors.team_scores_get(
        organisation=choice.organisation,
        kind=choice.kind,
        period=choice.period,
        store=choice.store or None,
        role=choice.role or None,
        people=scorecard_access.scores_visible_to(request.user, choice.organisation),
        sort=choice.sort,
    )
    return organisations, choice, table


def team_scores(request):
    """?org=&kind=week|month&period=&store=&role=&sort=: everyone's scores of the period (staff: their
    own), by role; for the ops lead, closing or reopening the month."""
    organisations, choice, table = _team(request)
    organisation = choice.organisation
    return render(
        request,
        "kpi/scorecards/team.html",
        {
            "choice": choice,
            "table": table,
            "links": _links(choice),
            "organisations": organisations,
            "oversees": scorecard_access.oversees_scores(request.user, organisation),
            "may_score": scorecard_access.may_score(request.user, organisation),
            "month_over": choice.kind == "month" and choice.period.end < periods.today(),
            "reopen_form": forms.ReopenForm(),
            "roles": scorecard_lines.ROLE_LABELS.items(),
        },
    )


def scores_export(request):
    """The team table as .xlsx: the same choice of organisation, period, store and role as the page."""
    if request.GET.get("format", "xlsx") != "xlsx":
        raise Http404("Unknown format.")
    _organisations, choice, table = _team(request)
    name = exports.file_name(choice.organisation.slug, "kpi", choice.period.label)
    return _file(exports.team_xlsx(table=table), name)


def _file(content: bytes, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type=exports.CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def _scores_url(organisation_slug: str, kind: str, period_label: str) -> str:
    query = urlencode({"org": organisation_slug, "kind": kind, "period": period_label})
    return f"{reverse('kpi:scores')}?{query}"


def _month_post(request, form_class):
    """The organisation and month of a close or reopen; 404 for an organisation not seen and for
    its staff, 403 for its boss (who reads the scores but does not close them), as the manual
    scores answer (docs/access.md#kpi-scorecards)."""
    form = form_class(request.POST)
    organisations = scorecard_access.score_organisations_get(user=request.user)
    organisation = forms.organisation_pick(organisations, request.POST.get("org") or "-")
    if not scorecard_access.may_score(request.user, organisation):
        if scorecard_access.oversees_scores(request.user, organisation):
            return form, organisation, HttpResponseForbidden()
        raise Http404("Not the ops lead.")
    return form, organisation, None


@require_POST
def month_close_view(request):
    form, organisation, refused = _month_post(request, forms.MonthForm)
    if refused:
        return refused
    if not form.is_valid():
        messages.error(request, _("Nothing was closed: the request was incomplete."))
        return redirect(_scores_url(organisation.slug, "month", ""))
    month = form.cleaned_data["period"]
    try:
        month_close(organisation=organisation, month=month, user=request.user)
    except ScoresRefused as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("%(month)s is closed: its scores are frozen.") % {"month": month.label})
    return redirect(_scores_url(organisation.slug, "month", month.label))


@require_POST
def month_reopen_view(request):
    form, organisation, refused = _month_post(request, forms.ReopenForm)
    if refused:
        return refused
    period_label = request.POST.get("period", "")[:20]
    if not form.is_valid():
        errors = form.errors.get("reason") or [_("Nothing was reopened: the request was incomplete.")]
        messages.error(request, " ".join(str(error) for error in errors))
        return redirect(_scores_url(organisation.slug, "month", period_label))
    month = form.cleaned_data["period"]
    try:
        month_reopen(
            organisation=organisation, month=month, reason=form.cleaned_data["reason"], user=request.user
        )
    except ScoresRefused as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request, _("%(month)s is open again: its scores follow the numbers.") % {"month": month.label}
        )
    return redirect(_scores_url(organisation.slug, "month", month.label))


# A person's page --------------------------------------------------------------------------------


def _person(request, username: str) -> tuple[forms.ScoreChoice, selectors.PersonScores]:
    """The person's scores in the first organisation (or ?org=) where the user may see them; 404
    for a person the user may not see."""
    organisations = scorecard_access.score_organisations_get(user=request.user)
    slug = request.GET.get("org")
    candidates = [forms.organisation_pick(organisations, slug)] if slug else organisations
    for organisation in candidates:
        person = (
            scorecard_access.scores_visible_to(request.user, organisation).filter(username=username).first()
        )
        if person is not None:
            break
    else:
        raise Http404("No such person.")
    choice = forms.score_choice(request.GET, organisations=[organisation])
    scores = selectors.person_scores_get(
        organisation=organisation,
        user=person,
        role=choice.role or None,
        kind=choice.kind,
        period=choice.period,
    )
    return choice, scores


def person_scores(request, username: str):
    """?org=&kind=&period=&role=: the person's card of the period per role, and their trend."""
    choice, scores = _person(request, username)
    return render(
        request,
        "kpi/scorecards/person.html",
        {
            "choice": choice,
            "scores": scores,
            "links": _links(choice, filters=False),
            "organisations": [choice.organisation],
            "oversees": scorecard_access.oversees_scores(request.user, choice.organisation),
            "report_url_name": "reports:weekly" if choice.kind == "week" else "reports:monthly",
            "checklist_day": min(choice.period.end, periods.yesterday()),
            "charts": [
                charts.score_trend(scores.trends, "weeks", _("Score, last 12 weeks")),
                charts.score_trend(scores.trends, "months", _("Score, last 6 months")),
            ],
        },
    )


def person_export(request, username: str):
    if request.GET.get("format", "xlsx") != "xlsx":
        raise Http404("Unknown format.")
    choice, scores = _person(request, username)
    name = exports.file_name(scores.person.get_username(), "kpi", choice.period.label)
    return _file(exports.person_xlsx(scores=scores), name)


# The ops lead's manual items ------------------------------------------------------------------


def manual_scores(request):
    """?org=&kind=&period=: every manual item of the period for the whole team, in one form; saving
    scores the period again. The ops lead's: others get 404 (a boss's POST 403)."""
    organisations = scorecard_access.score_organisations_get(user=request.user)
    choice = forms.score_choice(request.GET, organisations=organisations)
    organisation = choice.organisation
    if not scorecard_access.may_score(request.user, organisation):
        if request.method == "POST" and scorecard_access.oversees_scores(request.user, organisation):
            return HttpResponseForbidden()
        raise Http404("Not the ops lead.")
    rows = selectors.manual_sheet_get(organisation=organisation, kind=choice.kind, period=choice.period)
    if request.method == "POST":
        form = forms.ManualScoresForm(request.POST, rows=rows)
        if form.is_valid():
            try:
                changed = manual_scores_save(
                    organisation=organisation,
                    kind=choice.kind,
                    period=choice.period,
                    entries=form.entries(),
                    user=request.user,
                )
            except ManualScoresRefused as error:
                form.add_error(None, str(error))
            else:
                messages.success(
                    request,
                    _("Manual scores of %(period)s saved (%(count)s changed); the period is scored again.")
                    % {"period": choice.period.label, "count": changed},
                )
                return redirect(_scores_url(organisation.slug, choice.kind, choice.period.label))
    else:
        form = forms.ManualScoresForm(rows=rows)
    return render(
        request,
        "kpi/scorecards/manual.html",
        {
            "choice": choice,
            "form": form,
            "links": _links(choice, filters=False),
            "organisations": [org for org in organisations if scorecard_access.may_score(request.user, org)],
            "closed": selectors.month_state_get(
                organisation=organisation, kind=choice.kind, period=choice.period
            ).closed,
        },
    )


# The grade colours ----------------------------------------------------------------------------


def scores_css(request):
    """The grade bands' colours (settings.KPI_GRADES) as a style sheet of our own: the pages carry
    no style attribute (Content-Security-Policy)."""
    grades = [
        {"css_class": f"grade-{position}", "colour": band["colour"]}
        for position, band in enumerate(settings.KPI_GRADES)
        if COLOUR.match(str(band.get("colour", "")))
    ]
    response = render(
        request, "kpi/scorecards/scorecards.css", {"grades": grades}, content_type="text/css; charset=utf-8"
    )
    response["Cache-Control"] = "private, max-age=300"
    return response
