"""docker-compose.yml, the Dockerfile and .env.example describe a deployment that can start.

There is no Docker engine here, so the files are parsed (PyYAML) and every name in them is checked
against the code: services, volumes, management commands, modules, queues, URLs, settings.
"""

import fnmatch
import hashlib
import importlib
import json
import re
import shlex
import tomllib
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

import environ
import pytest
import yaml
from django.conf import settings
from django.core.management import get_commands
from django.test import Client, override_settings
from django.urls import resolve
from rq.utils import import_attribute

from opsdesk import views

ROOT = Path(__file__).resolve().parents[2]
COMPOSE_FILE = ROOT / "docker-compose.yml"
DOCKERFILE = ROOT / "Dockerfile"
ENV_EXAMPLE = ROOT / ".env.example"

APP_SERVICES = ("web", "worker", "nightly-worker", "scheduler")
# What .env.example leaves blank for the operator to fill in.
SECRETS = ("SECRET_KEY", "POSTGRES_PASSWORD")
LONG_RUNNING_RESTART_POLICIES = {"always", "unless-stopped", "on-failure"}
# `${NAME}`, `${NAME:-default}`, `${NAME:?message}`: compose's interpolation, fed by .env.
COMPOSE_VARIABLE = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?])([^}]*))?\}")
# env.str("NAME", ...), env.db("NAME"), env("NAME"), os.environ["NAME"], os.getenv("NAME")...
SETTINGS_VARIABLE = re.compile(
    r"""(?:\benv(?:\.\w+)?\(|os\.environ(?:\.get\(|\[)|os\.getenv\()\s*["']([A-Z][A-Z0-9_]*)["']"""
)


# --- reading the files ---------------------------------------------------------------------------


def _compose() -> dict:
    return yaml.safe_load(COMPOSE_FILE.read_text(encoding="utf-8"))


def _services() -> dict[str, dict]:
    return _compose()["services"]


def _env_example() -> tuple[dict[str, str], set[str]]:
    """(NAME → value of each `NAME=value` line, names of the commented-out `# NAME=...` lines)."""
    active, commented = {}, set()
    for line in ENV_EXAMPLE.read_text(encoding="utf-8").splitlines():
        match = re.fullmatch(r"(#\s*)?([A-Z][A-Z0-9_]*)=(.*)", line.strip())
        if match and match[1]:
            commented.add(match[2])
        elif match:
            active[match[2]] = match[3]
    return active, commented


def _settings_variables() -> set[str]:
    """Every environment variable opsdesk/settings.py reads."""
    return set(SETTINGS_VARIABLE.findall((ROOT / "opsdesk/settings.py").read_text(encoding="utf-8")))


def _compose_variables() -> set[str]:
    return {match[1] for match in COMPOSE_VARIABLE.finditer(COMPOSE_FILE.read_text(encoding="utf-8"))}


def _gunicorn_variables() -> set[str]:
    """Every environment variable gunicorn.conf.py (the web service's settings) reads."""
    return set(SETTINGS_VARIABLE.findall((ROOT / "gunicorn.conf.py").read_text(encoding="utf-8")))


def _interpolate(value, variables: dict[str, str]) -> str:
    """A compose value with each ${NAME}, ${NAME:-default}, ${NAME:?error} replaced as compose does."""

    def replace(match: re.Match) -> str:
        name, operator, argument = match[1], match[2], match[3]
        current = variables.get(name)
        unset = current is None or (current == "" and operator and operator.startswith(":"))
        if unset and operator and operator.endswith("?"):
            raise ValueError(f"compose refuses to start: {argument or name}")
        if unset and operator and operator.endswith("-"):
            return argument
        return current or ""

    return COMPOSE_VARIABLE.sub(replace, str(value))


def _filled_env_example() -> dict[str, str]:
    """.env.example with its secrets filled in as an operator would (64 random-looking hex digits)."""
    active, _ = _env_example()
    secrets = {name: hashlib.sha256(name.encode()).hexdigest() for name in SECRETS if not active.get(name)}
    return {**active, **secrets}


def _environment(service: dict, variables: dict[str, str]) -> dict[str, str]:
    environment = service.get("environment") or {}
    if isinstance(environment, list):
        environment = dict(item.split("=", 1) for item in environment)
    return {name: _interpolate(value, variables) for name, value in environment.items()}


def _container_environment(name: str) -> dict[str, str]:
    """What a service's container sees: env_file (.env, copied from .env.example), then `environment`."""
    variables = _filled_env_example()
    return {**variables, **_environment(_services()[name], variables)}


def _env_files(service: dict) -> list[str]:
    env_file = service.get("env_file") or []
    entries = [env_file] if isinstance(env_file, str | dict) else env_file
    return [entry["path"] if isinstance(entry, dict) else entry for entry in entries]


def _depends_on(service: dict) -> dict[str, str]:
    """dependency → condition (the short list form means service_started)."""
    depends_on = service.get("depends_on") or {}
    if isinstance(depends_on, list):
        return dict.fromkeys(depends_on, "service_started")
    return {name: (spec or {}).get("condition", "service_started") for name, spec in depends_on.items()}


def _dockerfile_cmd() -> list[str]:
    cmd = re.search(r"^CMD\s+(.+)$", DOCKERFILE.read_text(encoding="utf-8"), re.MULTILINE)
    return json.loads(cmd[1]) if cmd else []


def _invocations(service: dict) -> list[list[str]]:
    """The programs a service runs (its command, or the image's CMD), `sh -c "a && b"` split up."""
    command = service.get("command") or _dockerfile_cmd()
    argv = shlex.split(command) if isinstance(command, str) else [str(arg) for arg in command]
    if argv[:2] in (["sh", "-c"], ["/bin/sh", "-c"], ["bash", "-c"]):
        return [shlex.split(part) for part in re.split(r"&&|;", argv[2]) if part.strip()]
    return [argv]


def _manage_py_calls(name: str) -> list[list[str]]:
    """[subcommand, *arguments] of every `python manage.py ...` the service runs."""
    return [
        argv[2:]
        for argv in _invocations(_services()[name])
        if len(argv) > 2 and Path(argv[0]).name.startswith("python") and argv[1] == "manage.py"
    ]


def _builds_dockerfile(service: dict) -> bool:
    build = service.get("build")
    if build is None:
        return False
    context, dockerfile = (
        (build, "Dockerfile")
        if isinstance(build, str)
        else (build.get("context", "."), build.get("dockerfile", "Dockerfile"))
    )
    return (ROOT / context / dockerfile).resolve() == DOCKERFILE.resolve()


def _healthcheck_code(service: dict) -> str:
    test = service["healthcheck"]["test"]
    assert isinstance(test, list) and test[:3] == ["CMD", "python", "-c"], (
        "the healthcheck runs `python -c ...` (exec form): the slim image has no curl or wget"
    )
    return test[3]


# --- services, healthchecks, dependencies --------------------------------------------------------


def test_compose_file_defines_the_services():
    assert {"postgres", "redis", "web", "worker", "scheduler"} <= set(_services())
    assert _services()["postgres"]["image"].startswith("postgres:16")
    assert _services()["redis"]["image"].startswith("redis:7")


@pytest.mark.parametrize("name", ["postgres", "redis", "web"])
def test_service_has_a_healthcheck(name):
    healthcheck = _services()[name].get("healthcheck")
    assert healthcheck and healthcheck.get("test") and not healthcheck.get("disable")


def test_every_service_has_a_healthcheck_or_waits_for_a_healthy_one():
    services = _services()
    for name, service in services.items():
        waits_for = [dep for dep, condition in _depends_on(service).items() if condition == "service_healthy"]
        assert "healthcheck" in service or waits_for, f"{name}: no healthcheck, waits for no healthy service"


def test_dependencies_exist_and_their_conditions_can_be_met():
    services = _services()
    for name, service in services.items():
        for dependency, condition in _depends_on(service).items():
            assert dependency in services, f"{name} depends on unknown service {dependency}"
            if condition == "service_healthy":
                assert "healthcheck" in services[dependency], f"{name} waits for {dependency}'s health"
            if condition == "service_completed_successfully":
                # A one-shot that restarts would run again and again after succeeding.
                assert services[dependency].get("restart", "no") == "no", f"{dependency} is one-shot"


@pytest.mark.parametrize("name", APP_SERVICES)
def test_app_service_waits_for_healthy_postgres_and_redis(name):
    depends_on = _depends_on(_services()[name])
    assert depends_on.get("postgres") == "service_healthy"
    assert depends_on.get("redis") == "service_healthy"


def test_migrations_run_once_before_the_app_starts():
    """Either a one-shot service the app services wait for, or web's own command before gunicorn."""
    services = _services()
    migrating = [name for name in services if any(call[0] == "migrate" for call in _manage_py_calls(name))]
    assert migrating, "no service runs `manage.py migrate`"
    for name in APP_SERVICES:
        if name in migrating:
            continue
        conditions = {_depends_on(services[name]).get(migrator) for migrator in migrating}
        assert "service_completed_successfully" in conditions, f"{name} may start before the migrations"


@pytest.mark.parametrize("name", ["postgres", "redis", *APP_SERVICES])
def test_long_running_service_restarts(name):
    assert _services()[name].get("restart") in LONG_RUNNING_RESTART_POLICIES


def _named_volumes(service: dict) -> set[str]:
    """The named volumes a service mounts (not bind mounts of host paths)."""
    sources = [
        volume.get("source", "") if isinstance(volume, dict) else volume.split(":")[0]
        for volume in service.get("volumes", [])
    ]
    return {source for source in sources if source and not source.startswith((".", "/", "~"))}


def test_named_volumes_are_declared_and_used():
    used = set().union(*(_named_volumes(service) for service in _services().values()))
    declared = set(_compose().get("volumes") or {})
    assert used - declared == set(), "used but not declared"
    assert declared - used == set(), "declared but not used"


@pytest.mark.parametrize("name", ["postgres", "redis"])
def test_data_service_keeps_its_data_in_a_named_volume(name):
    assert _named_volumes(_services()[name])


# --- environment ---------------------------------------------------------------------------------


def test_settings_variables_are_found():
    """The parser of settings.py still finds its variables (else the tests below prove nothing)."""
    assert {"DEBUG", "SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL", "REDIS_URL"} <= _settings_variables()


def test_env_files_have_a_committed_example():
    for name, service in _services().items():
        for env_file in _env_files(service):
            assert (ROOT / env_file).exists() or (ROOT / f"{env_file}.example").exists(), (
                f"{name} reads {env_file}: commit {env_file}.example"
            )
    for name in APP_SERVICES:
        assert ".env" in _env_files(_services()[name])


def test_env_example_documents_every_variable_settings_reads():
    active, commented = _env_example()
    missing = _settings_variables() - set(active) - commented
    assert not missing, f".env.example lacks {sorted(missing)}"


def test_env_example_defines_every_variable_compose_interpolates():
    active, _ = _env_example()
    missing = _compose_variables() - set(active)
    assert not missing, f"docker-compose.yml uses ${{{sorted(missing)}}} that .env.example does not define"


def test_env_example_has_no_variable_nothing_reads():
    active, commented = _env_example()
    unread = set(active) | commented
    unread -= _settings_variables() | _compose_variables() | _gunicorn_variables()
    assert not unread, (
        f".env.example sets {sorted(unread)}, which neither settings.py, compose nor gunicorn.conf.py reads"
    )


def test_env_example_is_production_flavoured_and_ships_no_secret():
    active, _ = _env_example()
    assert environ.Env.parse_value(active["DEBUG"], bool) is False
    assert environ.Env.parse_value(active.get("SECURE_SSL_REDIRECT", "true"), bool) is True
    for name in SECRETS:
        assert active[name] == "", f"a published {name} would end up in production"


@pytest.mark.parametrize("name", APP_SERVICES)
def test_app_service_reaches_the_compose_postgres_and_redis(name):
    services = _services()
    environment = _container_environment(name)
    postgres_env = _environment(services["postgres"], _filled_env_example())

    database = urlsplit(environment["DATABASE_URL"])
    assert database.scheme in ("postgres", "postgresql", "pgsql")
    assert (database.hostname, database.port or 5432) == ("postgres", 5432)
    assert database.username == postgres_env["POSTGRES_USER"]
    assert database.password == postgres_env["POSTGRES_PASSWORD"]
    assert database.path.lstrip("/") == postgres_env.get("POSTGRES_DB", postgres_env["POSTGRES_USER"])

    redis = urlsplit(environment["REDIS_URL"])
    assert (redis.scheme, redis.hostname, redis.port or 6379) == ("redis", "redis", 6379)


# --- commands ------------------------------------------------------------------------------------


def test_management_commands_exist():
    commands = get_commands()
    used = {call[0] for name in _services() for call in _manage_py_calls(name)}
    assert {"migrate", "rqworker", "rqcron"} <= used
    assert used <= set(commands), f"unknown management commands: {used - set(commands)}"


def _worker_queues() -> dict[str, list[str]]:
    """Each service running rqworker, with the queues it names (option values left out)."""
    served = {}
    for name in _services():
        for call in _manage_py_calls(name):
            if call[0] == "rqworker":
                arguments, queues = iter(call[1:]), []
                for argument in arguments:
                    if argument == "--worker-class":
                        next(arguments)
                    elif not argument.startswith("-"):
                        queues.append(argument)
                served[name] = queues
    return served


def test_workers_serve_every_configured_queue():
    queues = {queue for names in _worker_queues().values() for queue in names}
    assert queues <= set(settings.RQ_QUEUES), f"unknown queues: {queues - set(settings.RQ_QUEUES)}"
    assert queues == set(settings.RQ_QUEUES), "a queue nobody works on piles up jobs"


def test_workers_sweep_the_jobs_waiting_in_the_database():
    """Every worker is one of opsdesk.worker's, which deliver what waited for Redis and retry what
    a dead worker abandoned (RQ's own classes do neither)."""
    from opsdesk.worker import SweepingMixin

    for name in _worker_queues():
        call = next(c for c in _manage_py_calls(name) if c[0] == "rqworker")
        worker_class = call[call.index("--worker-class") + 1]
        assert issubclass(import_attribute(worker_class), SweepingMixin), name


def test_scheduler_config_exists_and_registers_jobs(monkeypatch):
    from django_rq.cron import DjangoCronScheduler

    (call,) = [call for call in _manage_py_calls("scheduler") if call[0] == "rqcron"]
    config_path = next(arg for arg in call[1:] if not arg.startswith("-"))
    assert (ROOT / config_path).is_file()

    failures = []

    class Scheduler(DjangoCronScheduler):
        def register(self, *args, **kwargs):  # load_config_from_file only logs a failure
            try:
                return super().register(*args, **kwargs)
            except Exception as error:
                failures.append(error)
                raise

    monkeypatch.chdir(ROOT)
    scheduler = Scheduler()
    scheduler.load_config_from_file(config_path)
    assert not failures
    assert scheduler.get_jobs(), f"{config_path} registers no job"
    for job in scheduler.get_jobs():
        assert job.queue_name in settings.RQ_QUEUES
        assert callable(import_attribute(job.func_name)), f"the worker cannot import {job.func_name}"


def _gunicorn(monkeypatch, **environment):
    """Gunicorn as the web service starts it, read by gunicorn's own parser: its command line, the
    container's environment (plus `environment`), and ./gunicorn.conf.py of the working directory,
    which is the project's in the image (see the WORKDIR test below)."""
    from gunicorn.app.wsgiapp import WSGIApplication

    (argv,) = [argv for argv in _invocations(_services()["web"]) if Path(argv[0]).name == "gunicorn"]
    for name, value in {**_container_environment("web"), **environment}.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setattr("sys.argv", argv)
    monkeypatch.chdir(ROOT)
    return WSGIApplication()


def test_gunicorn_serves_the_wsgi_application_on_the_exposed_port(monkeypatch):
    gunicorn = _gunicorn(monkeypatch)
    module, attribute = gunicorn.app_uri.split(":")
    assert callable(getattr(importlib.import_module(module), attribute))
    assert gunicorn.cfg.bind == ["0.0.0.0:8000"]
    assert re.search(r"^EXPOSE\s+8000\b", DOCKERFILE.read_text(encoding="utf-8"), re.MULTILINE)


def test_gunicorn_reads_its_config_file_in_the_image():
    """gunicorn.conf.py is read from the working directory: the image's WORKDIR must be where the
    project is copied."""
    dockerfile = DOCKERFILE.read_text(encoding="utf-8")
    workdir = re.findall(r"^WORKDIR\s+(\S+)", dockerfile, re.MULTILINE)[-1]
    assert re.search(r"^COPY\s+\.\s+(\.|\./|" + re.escape(workdir) + r"/?)\s*$", dockerfile, re.MULTILINE)
    assert (ROOT / "gunicorn.conf.py").is_file()


def test_gunicorn_runs_threaded_workers_sized_by_the_environment(monkeypatch):
    """Threads, so that a client sending nothing holds a thread, not a whole process
    (tests/opsdesk/test_gunicorn.py); processes and threads from WEB_CONCURRENCY and WEB_THREADS."""
    environment = _container_environment("web")
    cfg = _gunicorn(monkeypatch).cfg
    assert cfg.worker_class_str == "gthread"
    assert cfg.workers == int(environment.get("WEB_CONCURRENCY", 2))
    assert cfg.threads == int(environment.get("WEB_THREADS", 16)) > 1
    cfg = _gunicorn(monkeypatch, WEB_CONCURRENCY="5", WEB_THREADS="4").cfg
    assert (cfg.workers, cfg.threads) == (5, 4)
    # Requests in progress finish before Docker's SIGKILL (10 s after SIGTERM unless compose says).
    assert cfg.graceful_timeout < int(str(_services()["web"].get("stop_grace_period", "10s")).rstrip("s"))
    # Access log on stdout, its last field the request's server time (bench/load/ reads it).
    assert cfg.accesslog == "-"
    assert re.search(r"%\([TDML]\)s$", cfg.access_log_format)


def test_web_healthcheck_targets_the_healthz_view():
    urls = re.findall(r"https?://[^\s\"']+", _healthcheck_code(_services()["web"]))
    assert len(urls) == 1
    url = urlsplit(urls[0])
    assert (url.hostname, url.port) == ("127.0.0.1", 8000)
    assert resolve(url.path).func is views.healthz


@pytest.mark.django_db
def test_web_healthcheck_gets_200_from_production_settings(monkeypatch):
    """The healthcheck's request, replayed through Django with the settings .env.example gives.

    ALLOWED_HOSTS answers 400 to a Host it does not list, SECURE_SSL_REDIRECT redirects plain HTTP:
    either makes urllib raise and the container unhealthy.
    """
    environment = _container_environment("web")
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    sent = []

    def urlopen(request, timeout=None):
        request = urllib.request.Request(request) if isinstance(request, str) else request
        url = urlsplit(request.full_url)
        headers = dict(request.header_items())
        headers.setdefault("Host", url.netloc)  # what urllib sends when not told otherwise
        sent.append(headers)
        response = Client().get(f"{url.path}?{url.query}" if url.query else url.path, headers=headers)
        if 300 <= response.status_code < 400:
            raise urllib.error.URLError(f"redirected to {response['Location']}")
        if response.status_code >= 400:
            raise urllib.error.HTTPError(request.full_url, response.status_code, "error", {}, None)
        return response

    monkeypatch.setattr(urllib.request, "urlopen", urlopen)
    production = {
        "DEBUG": False,
        "ALLOWED_HOSTS": environ.Env.parse_value(environment["ALLOWED_HOSTS"], list),
        "SECURE_SSL_REDIRECT": environ.Env.parse_value(environment.get("SECURE_SSL_REDIRECT", "true"), bool),
    }
    with override_settings(**production):
        exec(_healthcheck_code(_services()["web"]), {"__name__": "__main__"})
    assert len(sent) == 1, "the healthcheck makes one request"


# --- the image -----------------------------------------------------------------------------------


@pytest.mark.parametrize("name", [*APP_SERVICES, "migrate"])
def test_app_service_runs_the_image_built_from_the_dockerfile(name):
    services = _services()
    if name not in services:
        pytest.skip("migrations run in web's command")
    service = services[name]
    built_images = {s.get("image") for s in services.values() if _builds_dockerfile(s) and s.get("image")}
    assert _builds_dockerfile(service) or service.get("image") in built_images


def test_dockerfile_builds_a_non_root_image_with_collected_static_files():
    dockerfile = DOCKERFILE.read_text(encoding="utf-8")
    assert re.search(r"^FROM python:3\.11-slim\b", dockerfile, re.MULTILINE)
    users = re.findall(r"^USER\s+(\S+)", dockerfile, re.MULTILINE)
    assert users and users[-1] not in ("root", "0"), "the app does not run as root"
    assert re.search(r"pip install\b[^\n]*\s\.(\s|$)", dockerfile)
    assert re.search(r"^RUN\b.*manage\.py collectstatic --noinput", dockerfile, re.MULTILINE)
    assert not re.search(r"^(ENV|ARG)\b.*SECRET_KEY", dockerfile, re.MULTILINE), (
        "the build-time SECRET_KEY is given to one RUN line, not kept in the image"
    )


def test_wheel_holds_every_app_package():
    include = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"][
        "packages"
    ]["find"]["include"]
    for app in settings.INSTALLED_APPS:
        if (ROOT / app / "__init__.py").exists():
            assert any(fnmatch.fnmatch(app, pattern) for pattern in include), f"{app} is not in the wheel"


def test_dockerignore_keeps_local_state_out_and_the_app_in():
    patterns = [
        line.strip().removeprefix("/").removeprefix("**/")
        for line in (ROOT / ".dockerignore").read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    ]

    def ignored(path: str) -> bool:
        return any(
            fnmatch.fnmatch(path, pattern) or fnmatch.fnmatch(Path(path).name, pattern)
            for pattern in patterns
        )

    for path in (".venv", "db.sqlite3", ".git", "staticfiles", "stores/__pycache__", ".env"):
        assert ignored(path), f"{path} must stay out of the image"
    readme = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["readme"]
    needed = [
        "manage.py",
        "pyproject.toml",
        readme,
        "templates",
        "static",
        "locale",
        "locale/zh_Hans/LC_MESSAGES/django.mo",
        "opsdesk/schedule.py",
        "gunicorn.conf.py",
    ]
    for path in needed:
        assert not ignored(path), f"the image needs {path}"
