# OpsDesk (运营台) production image. docker-compose.yml runs every app service from it:
# web (gunicorn), migrate, worker (rqworker) and scheduler (rqcron).
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PYTHONPATH=/app

RUN groupadd --system opsdesk \
    && useradd --system --gid opsdesk --create-home --home-dir /home/opsdesk --shell /usr/sbin/nologin opsdesk

WORKDIR /app

# Dependencies first, in their own layer: a code change does not reinstall pandas & co.
COPY pyproject.toml ./
RUN python -c "import tomllib; print(*tomllib.load(open('pyproject.toml', 'rb'))['project']['dependencies'], sep='\n')" \
        > /tmp/requirements.txt \
    && pip install -r /tmp/requirements.txt \
    && rm /tmp/requirements.txt

COPY . .
# The packages of [tool.setuptools.packages.find]. templates/, static/ and locale/ are not in the
# wheel: the app runs from /app (PYTHONPATH above), so settings.BASE_DIR is /app.
# locale/*/django.mo is committed (`make messages`), so no gettext is needed here.
RUN pip install --no-deps . \
    && rm -rf build ./*.egg-info

# Static files are collected into /app/staticfiles (STATIC_ROOT's default) and served by whitenoise.
# Settings refuse to load without SECRET_KEY: a dummy for this one command, not kept in the image.
RUN SECRET_KEY=collectstatic-at-build-time-only python manage.py collectstatic --noinput

# The code stays owned by root: the app user can read it, not change it.
USER opsdesk

EXPOSE 8000

CMD ["gunicorn", "opsdesk.wsgi:application", "--bind", "0.0.0.0:8000", "--access-logfile", "-"]
