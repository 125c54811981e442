"""The data of the permission matrix (tests/opsdesk/test_permission_matrix.py): two organisations with
something real behind every address of the URLconf, the seven personas who ask for them, and the helpers
that fill a pattern, name an answer, send a page's forms, fingerprint the database and read a file.

Acme (slug acme) has stores A店 (store-a) and B店 (store-b), Other Co (slug other) has C店 (store-c), with
the people of the `personas` fixture (tests/conftest.py), built here the same way since the matrix builds
its data once for the module. Each store sells the same distinctive GMV every day, so a number in a file
says which stores it came from: A店 ¥12,345.67, B店 ¥77,777.77, C店 ¥98,989.89 (no total of some of
them over 1 to DAYS days equals a total of others).
"""

import csv
import datetime as dt
import html.parser
import io
import json
from dataclasses import dataclass, field
from decimal import Decimal
from itertools import combinations
from urllib.parse import urlencode, urljoin

from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import default_token_generator
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from openpyxl import load_workbook

from kpi.services.kpi_templates import kpi_templates_seed
from kpi.services.plans import target_set
from kpi.services.scores import period_of, scores_compute
from reports import services as report_services
from reports.models import Alert, RollupRun
from stores import periods
from stores.imports.services import import_batch_create, import_batch_run
from stores.models import DailyMetric, Organisation, Store, StoreRole
from stores.organisation.sections import organisation_sections_all
from tasks import services as task_services
from tasks.models import ChecklistItem, ChecklistTemplate
from tests.conftest import Personas
from tests.factories import (
    DailyMetricFactory,
    OrganisationFactory,
    OrgMembershipFactory,
    StoreAssignmentFactory,
    StoreFactory,
    UserFactory,
)
from tests.opsdesk.test_urls import _kwarg_names

# The columns of the matrix, in this order.
PERSONAS = (
    "anonymous",
    "other_org_staff",  # c_operator: the operator of C店, Other Co
    "other_store_staff",  # b_operator: the operator of B店 only, Acme
    "store_staff",  # operator: the operator of A店 (the `personas` fixture's)
    "lead",  # Acme's ops lead
    "boss",  # Acme's boss
    "superuser",  # root
)
GMV = {"store-a": Decimal("12345.67"), "store-b": Decimal("77777.77"), "store-c": Decimal("98989.89")}
STORE_NAMES = {"store-a": "A店", "store-b": "B店", "store-c": "C店"}
DAYS = 70  # of numbers, up to yesterday: the last complete day, week and month are all in them
PLAN_YEAR = periods.today().year + 1  # every day of next year's plan is still to come
ANNUAL = {"store-a": Decimal("3650000"), "store-b": Decimal("7777777"), "store-c": Decimal("9999999")}
CENT = Decimal("0.01")
NAMESPACES = ("admin", "django_rq")  # covered by a rule of their own each


@dataclass
class World:
    personas: Personas
    other: Organisation
    users: dict  # persona -> user (None: anonymous)
    # kwarg -> value: store A's and Acme's (`own`), store C's and Other Co's (`forged`)
    own: dict = field(default_factory=dict)
    forged: dict = field(default_factory=dict)
    # pattern -> {kwarg: value} where a kwarg's name means something else
    own_overrides: dict = field(default_factory=dict)
    forged_overrides: dict = field(default_factory=dict)
    # pattern -> the query string a page reads its organisation (and year) from
    own_query: dict = field(default_factory=dict)
    forged_query: dict = field(default_factory=dict)

    def user(self, persona: str):
        return self.users[persona]


# --- The URLconf --------------------------------------------------------------------------------------------


def patterns(resolver: URLResolver | None = None, namespace: str = "", prefix: str = ""):
    """(name, pattern, route) of every named pattern, through includes and namespaces, as
    tests/opsdesk/test_urls.py walks them; the route is the whole address, from the root."""
    for entry in (resolver or get_resolver()).url_patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from patterns(entry, inner, route)
        elif isinstance(entry, URLPattern) and entry.name:
            yield f"{namespace}{entry.name}", entry, route


def namespace_of(name: str) -> str | None:
    head = name.split(":")[0]
    return head if ":" in name and head in NAMESPACES else None


def kwarg_names(pattern: URLPattern) -> list[str]:
    return _kwarg_names(pattern)


# --- The data -----------------------------------------------------------------------------------------------


def personas_build() -> Personas:
    """The same people as tests/conftest.py's `personas` fixture."""
    acme = OrganisationFactory(name="Acme", slug="acme")
    other = OrganisationFactory(name="Other Co", slug="other")
    store_a = StoreFactory(organisation=acme, name="A店", slug="store-a")
    store_b = StoreFactory(organisation=acme, name="B店", slug="store-b")
    store_c = StoreFactory(organisation=other, name="C店", slug="store-c")
    staff = {
        role: StoreAssignmentFactory(user=UserFactory(username=role), store=store_a, role=role).user
        for role in StoreRole.values
    }
    return Personas(
        acme=acme,
        store_a=store_a,
        store_b=store_b,
        store_c=store_c,
        boss=OrgMembershipFactory(user=UserFactory(username="boss"), organisation=acme, role="boss").user,
        lead=OrgMembershipFactory(user=UserFactory(username="lead"), organisation=acme, role="lead").user,
        stranger=OrgMembershipFactory(
            user=UserFactory(username="stranger"), organisation=other, role="lead"
        ).user,
        nobody=UserFactory(username="nobody"),
        superuser=UserFactory(username="root", is_superuser=True, is_staff=True),
        **staff,
    )


def _numbers(stores: list[Store]) -> None:
    """DAYS days of numbers up to yesterday, each store's own GMV every day, rolled up."""
    yesterday = periods.yesterday()
    DailyMetric.objects.bulk_create(
        DailyMetricFactory.build(store=store, date=yesterday - dt.timedelta(days=back), gmv=GMV[store.slug])
        for store in stores
        for back in range(DAYS)
    )
    report_services.rollups_rebuild(stores=Store.objects.filter(pk__in=[store.pk for store in stores]))


def _password_link(user) -> dict:
    return {
        "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
        "token": default_token_generator.make_token(user),
    }


def world_build() -> World:
    """Both organisations with their numbers, rollups, a rollup run and an alert per store, a previewed
    import, the checklists of today and the operator's 日报, next year's plans, the KPI templates and
    scores of this week and month; and each kwarg of the URLconf mapped to one of these."""
    personas = personas_build()
    acme, store_a, store_b, store_c = personas.acme, personas.store_a, personas.store_b, personas.store_c
    other = store_c.organisation
    other_org_staff = StoreAssignmentFactory(
        user=UserFactory(username="c_operator"), store=store_c, role=StoreRole.OPERATOR
    ).user
    other_store_staff = StoreAssignmentFactory(
        user=UserFactory(username="b_operator"), store=store_b, role=StoreRole.OPERATOR
    ).user
    # Invited and never logged in, so their set-password links stay valid whoever logs in meanwhile.
    newcomer = UserFactory(username="newcomer", password=None)
    other_newcomer = StoreAssignmentFactory(
        user=UserFactory(username="c_newcomer", password=None), store=store_c, role=StoreRole.CONTENT
    ).user
    users = {
        "anonymous": None,
        "other_org_staff": other_org_staff,
        "other_store_staff": other_store_staff,
        "store_staff": personas.operator,
        "lead": personas.lead,
        "boss": personas.boss,
        "superuser": personas.superuser,
    }

    _numbers([store_a, store_b, store_c])
    today, yesterday = periods.today(), periods.yesterday()

    # Today's lists (on a rest day too) for everyone of both organisations, and the operator's 日报.
    ChecklistTemplate.objects.update(also_on_rest_days=True)
    task_services.checklist_generate(day=today)
    task_services.daily_report_submit(
        user=personas.operator, day=today, done_today="店铺自检完毕", problems="", plan_tomorrow="报名活动"
    )

    def operator_template(organisation):
        template = ChecklistTemplate.objects.get(
            organisation=organisation, role=StoreRole.OPERATOR, store=None
        )
        return template, template.items.order_by("position").first()

    def first_item_of(user):
        return ChecklistItem.objects.filter(checklist__user=user).order_by("pk").first()

    template_a, template_item_a = operator_template(acme)
    template_c, template_item_c = operator_template(other)

    # A previewed file for store A (uploaded by Acme's lead) and one for store C (by its own lead).
    content = f"统计日期,访客数,支付金额\n{yesterday.isoformat()},1000,4500\n".encode()
    batches = {}
    for store, uploader in ((store_a, personas.lead), (store_c, personas.stranger)):
        batch = import_batch_create(content=content, file_name="店铺整体.csv", user=uploader, store=store)
        batches[store.slug] = import_batch_run(batch=batch, dry_run=True)

    alerts, runs = {}, {}
    for store in (store_a, store_b, store_c):
        alerts[store.slug] = Alert.objects.create(
            organisation=store.organisation, store=store, rule="data_missing", day=yesterday
        )
        runs[store.slug] = RollupRun.objects.create(
            organisation=store.organisation,
            store=store,
            trigger=RollupRun.Trigger.NIGHTLY,
            first_day=yesterday,
            last_day=yesterday,
            status=RollupRun.Status.DONE,
        )

    for store in (store_a, store_b, store_c):
        target_set(store=store, year=PLAN_YEAR, annual=ANNUAL[store.slug])

    for organisation in (acme, other):
        kpi_templates_seed(organisation=organisation)
        for kind in ("week", "month"):
            scores_compute(organisation=organisation, kind=kind, period=period_of(kind, yesterday))

    world = World(personas=personas, other=other, users=users)
    common = {
        "date": yesterday.isoformat(),  # a day of numbers (the entry page)
        "day": today.isoformat(),  # a day of a checklist
        "year": PLAN_YEAR,
        "file_format": "csv",
        "code": organisation_sections_all()[0].code,  # a section of the organisation's settings
        "role": StoreRole.OPERATOR,  # a KPI template
    }
    world.own = common | {
        "slug": store_a.slug,
        "org_slug": acme.slug,
        "person_id": personas.operator.pk,
        "batch_id": batches["store-a"].pk,
        "template_id": template_a.pk,
        "item_id": template_item_a.pk,
        "alert_id": alerts["store-a"].pk,
        "run_id": runs["store-a"].pk,
        "username": personas.operator.username,
        **_password_link(newcomer),
    }
    world.forged = common | {
        "slug": store_c.slug,
        "org_slug": other.slug,
        "person_id": other_org_staff.pk,
        "batch_id": batches["store-c"].pk,
        "template_id": template_c.pk,
        "item_id": template_item_c.pk,
        "alert_id": alerts["store-c"].pk,
        "run_id": runs["store-c"].pk,
        "username": other_org_staff.username,
        **_password_link(other_newcomer),
    }
    for overrides, query, organisation, owner in (
        (world.own_overrides, world.own_query, acme, personas.operator),
        (world.forged_overrides, world.forged_query, other, other_org_staff),
    ):
        # `slug` is the organisation's on its settings pages; `item_id` an item of a day's list on a tick.
        overrides["organisation_settings_org"] = {"slug": organisation.slug}
        overrides["organisation_section_save"] = {"slug": organisation.slug}
        overrides["tasks:tick"] = {"item_id": first_item_of(owner).pk}
        org = {"org": organisation.slug}
        for name in ("tasks:team", "tasks:template_list", "reports:weekly_commentary"):
            query[name] = org
        for name in ("scores", "scores_export", "manual_scores", "kpi_template", "person", "person_export"):
            query[f"kpi:{name}"] = org
        for kind in ("daily", "weekly", "monthly"):
            query[f"reports:{kind}"] = query[f"reports:{kind}_export"] = org
        query["kpi:targets"] = {"organisation": organisation.slug, "year": PLAN_YEAR}
    return world


# --- Asking -------------------------------------------------------------------------------------------------


def url_for(
    world: World, name: str, pattern: URLPattern, *, forged=(), query: dict | None = None, **changed
) -> str:
    """The pattern's address with store A's and Acme's values; those named in `forged` (or all of
    them, `forged=True`) Other Co's instead, and `changed` as given. Its query string, plus `query`."""
    names = kwarg_names(pattern)
    forged = set(names) | {"?"} if forged is True else set(forged or ())
    kwargs = {}
    for kwarg in names:
        values, overrides = (
            (world.forged, world.forged_overrides) if kwarg in forged else (world.own, world.own_overrides)
        )
        kwargs[kwarg] = overrides.get(name, {}).get(kwarg, values[kwarg])
    url = reverse(name, kwargs=kwargs | changed)
    params = (world.forged_query if "?" in forged else world.own_query).get(name, {}) | (query or {})
    return f"{url}?{urlencode(params)}" if params else url


def forgeable(world: World, name: str, pattern: URLPattern) -> list[str]:
    """The kwargs whose own and forged values differ, and "?" for a query string that names Acme."""
    names = [
        kwarg
        for kwarg in kwarg_names(pattern)
        if world.own_overrides.get(name, {}).get(kwarg, world.own[kwarg])
        != world.forged_overrides.get(name, {}).get(kwarg, world.forged[kwarg])
    ]
    return names + (["?"] if name in world.own_query else [])


def client_as(user) -> Client:
    """A test client of its own, logged in as `user` (None: anonymous), reading English."""
    client = Client()
    if user is not None:
        client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def answer(response) -> int | str:
    """The status, with a redirect to a login page named for it: "login" (the site's), "admin login"."""
    if response.status_code in (301, 302):
        target = response["Location"].split("?")[0]
        if target == reverse("login"):
            return "login"
        if target == reverse("admin:login"):
            return "admin login"
    return response.status_code


def namespace_url(name: str, pattern: URLPattern) -> str:
    """An admin or RQ dashboard address: an admin page of its model's first row, a queue that exists
    (0) with a job, worker or scheduler that does not."""
    model_admin = getattr(pattern.callback, "model_admin", None)
    model = model_admin.model if model_admin and model_admin.model._meta.managed else None
    samples = {"app_label": "stores", "queue_index": 0, "connection_index": 0, "scheduler_index": 0}
    samples |= {"job_id": "nojob", "key": "noworker", "result_id": "noresult", "token": "notoken"}
    samples |= {"scheduler_name": "noscheduler", "cron_job_name": "nojob"}
    kwargs = {}
    for kwarg in kwarg_names(pattern):
        if kwarg == "object_id":
            first = model._default_manager.order_by("pk").first() if model else None
            kwargs[kwarg] = first.pk if first else 1
        elif kwarg == "content_type_id":
            kwargs[kwarg] = ContentType.objects.get_for_model(Store).pk
        else:
            kwargs[kwarg] = samples.get(kwarg, 1)
    return reverse(name, kwargs=kwargs)


# --- A page's forms, as a browser sends them ----------------------------------------------------------------

REQUIRED_SAMPLES = {"email": "matrix@example.com", "number": "1", "time": "09:00"}


class _FormParser(html.parser.HTMLParser):
    """Every <form method="post"> of a page: its action and what a browser sends for it (the first
    submit button's name, a checked box, a select's chosen option, and a sample in a required field
    left empty)."""

    def __init__(self):
        super().__init__()
        self.forms: list[tuple[str, list[tuple[str, str]]]] = []
        self._fields = None
        self._pressed = False
        self._select = self._textarea = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and (attrs.get("method") or "").lower() == "post":
            self._fields, self._pressed = [], False
            self.forms.append((attrs.get("action") or "", self._fields))
            return
        if self._fields is None:
            return
        name = attrs.get("name")
        kind = (attrs.get("type") or "").lower()
        if tag == "option" and self._select is not None:
            value = attrs.get("value", "")
            self._select[2] = value if self._select[2] is None else self._select[2]
            self._select[1] = value if "selected" in attrs else self._select[1]
        elif not name:
            return
        elif tag == "input" and kind in ("checkbox", "radio"):
            if "checked" in attrs:
                self._fields.append((name, attrs.get("value", "on")))
        elif (tag == "input" and kind == "submit") or (tag == "button" and kind in ("", "submit")):
            if not self._pressed:
                self._fields.append((name, attrs.get("value", "")))
                self._pressed = True
        elif tag == "input" and kind != "file":
            value = attrs.get("value") or ""
            if not value and "required" in attrs:
                value = REQUIRED_SAMPLES.get(kind, "matrix")
            self._fields.append((name, value))
        elif tag == "select":
            self._select = [name, None, None]
        elif tag == "textarea":
            self._textarea = [name, "", "required" in attrs]

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea[1] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self._fields = None
        elif tag == "select" and self._select is not None:
            name, selected, first = self._select
            if self._fields is not None:
                self._fields.append((name, selected if selected is not None else first or ""))
            self._select = None
        elif tag == "textarea" and self._textarea is not None:
            name, text, required = self._textarea
            if self._fields is not None:
                self._fields.append((name, text.strip() or ("matrix" if required else "")))
            self._textarea = None


def post_forms(page_url: str, content: str) -> dict[str, dict[str, list[str]]]:
    """The page's POST forms by the path they post to (the first form for each path)."""
    parser = _FormParser()
    parser.feed(content)
    found: dict[str, dict[str, list[str]]] = {}
    for action, fields in parser.forms:
        path = urljoin(page_url, action).split("?")[0].split("#")[0]
        data: dict[str, list[str]] = {}
        for name, value in fields:
            data.setdefault(name, []).append(value)
        data.pop("csrfmiddlewaretoken", None)
        found.setdefault(path, data)
    return found


# --- The database's rows ------------------------------------------------------------------------------------

PROJECT_APPS = ("stores", "tasks", "reports", "kpi", "opsdesk")
IGNORED_FIELDS = {"last_login"}  # written by every login


def _tables():
    user_model = get_user_model()
    found = [m for m in apps.get_models() if m._meta.app_label in PROJECT_APPS] + [user_model]
    return [model for model in found if model._meta.managed]


def database_rows() -> dict[str, dict]:
    """Every row of the project's tables (and the users), by table and primary key."""
    rows = {}
    for model in _tables():
        names = [f.attname for f in model._meta.concrete_fields if f.name not in IGNORED_FIELDS]
        rows[model._meta.label] = {
            row[0]: row for row in model._default_manager.order_by().values_list("pk", *names)
        }
    return rows


def rows_changed(before: dict, after: dict) -> list[tuple[str, object, str]]:
    """(table, pk, "added" | "removed" | "changed") of each row that differs."""
    changed = []
    for table, rows in after.items():
        old = before.get(table, {})
        changed += [(table, pk, "added") for pk in rows.keys() - old.keys()]
        changed += [(table, pk, "removed") for pk in old.keys() - rows.keys()]
        changed += [(table, pk, "changed") for pk in rows.keys() & old.keys() if rows[pk] != old[pk]]
    return sorted(changed, key=str)


def rows_of_organisation(rows: dict, organisation: Organisation) -> dict[str, set]:
    """The primary keys of the rows that belong to `organisation`: itself, its stores, the people who
    hold a role in it, and every row that points to one of these (through any foreign key, however
    far). Read from `rows` (database_rows), so rows deleted since are still known."""
    user_label = get_user_model()._meta.label
    owned = {table: set() for table in rows}
    owned["stores.Organisation"] = {organisation.pk}
    owned["stores.Store"] = {
        pk
        for pk, row in rows["stores.Store"].items()
        if _value(row, Store, "organisation") == organisation.pk
    }
    people = set()
    for table, role_model in (("stores.OrgMembership", "organisation"), ("stores.StoreAssignment", "store")):
        model = apps.get_model(table)
        target = owned["stores.Organisation"] if role_model == "organisation" else owned["stores.Store"]
        people |= {
            _value(row, model, "user")
            for row in rows[table].values()
            if _value(row, model, role_model) in target
        }
    owned[user_label] = people
    links = {
        model._meta.label: [
            (position, fk.related_model._meta.label)
            for position, fk in enumerate(_row_fields(model), start=1)
            if isinstance(fk, models.ForeignKey) and fk.related_model._meta.label in rows
        ]
        for model in _tables()
    }
    grown = True
    while grown:
        grown = False
        for table, table_links in links.items():
            if table == user_label:
                continue  # a person belongs to an organisation by their roles only
            for pk, row in rows[table].items():
                if pk not in owned[table] and any(row[at] in owned[target] for at, target in table_links):
                    owned[table].add(pk)
                    grown = True
    return owned


def _row_fields(model) -> list:
    return [f for f in model._meta.concrete_fields if f.name not in IGNORED_FIELDS]


def _value(row: tuple, model, name: str):
    return row[1 + [f.name for f in _row_fields(model)].index(name)]


# --- Files --------------------------------------------------------------------------------------------------


def file_cells(content: bytes, file_format: str) -> list:
    """Every cell of a .xlsx (every sheet), .csv or .json file; empty cells left out."""
    if file_format == "xlsx":
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
        cells = [
            cell for sheet in workbook.worksheets for row in sheet.iter_rows(values_only=True) for cell in row
        ]
    elif file_format == "csv":
        cells = [cell for row in csv.reader(io.StringIO(content.decode("utf-8-sig"))) for cell in row]
    else:
        cells = []

        def walk(value):
            if isinstance(value, dict):
                for key, inner in value.items():
                    cells.append(key)
                    walk(inner)
            elif isinstance(value, list):
                for inner in value:
                    walk(inner)
            else:
                cells.append(value)

        walk(json.loads(content))
    return [cell for cell in cells if cell not in (None, "")]


def as_number(cell) -> Decimal | None:
    """A cell's number (a written number, or text such as "¥77,777.77" or "12.5%"), to the cent."""
    if isinstance(cell, bool):
        return None
    if isinstance(cell, int | float | Decimal):
        return Decimal(str(cell)).quantize(CENT)
    text = str(cell).replace(",", "").replace("¥", "").replace("%", "").strip()
    try:
        return Decimal(text).quantize(CENT)
    except ArithmeticError:
        return None


def figures_of(slugs: set[str]) -> set[Decimal]:
    """The numbers that tell of a store among `slugs`: its GMV of 1 to DAYS days, alone or in a total
    with other stores, and what follows from it (GMV per buyer, per visitor); less any number that
    the other stores' figures alone give as well."""

    def figures(groups) -> set[Decimal]:
        found = set()
        for group in groups:
            gmv = sum(GMV[slug] for slug in group)
            found |= {(gmv * days).quantize(CENT) for days in range(1, DAYS + 1)}
            found |= {(gmv / (30 * len(group))).quantize(CENT), (gmv / (1000 * len(group))).quantize(CENT)}
        return found

    groups = [set(group) for size in (1, 2, 3) for group in combinations(GMV, size)]
    return figures(group for group in groups if group & slugs) - figures(
        group for group in groups if not group & slugs
    )
