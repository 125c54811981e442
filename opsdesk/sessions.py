"""Django's database sessions, each request's one read written out as SQL.

`SESSION_ENGINE = "opsdesk.sessions"` when there is no shared cache (opsdesk/settings.py). Only
`load()` differs from django.contrib.sessions.backends.db: the same row (the key, not expired),
asked with a plain cursor instead of a query set, which costs more than the query itself on
every page; saving, creating and deleting sessions are Django's.
"""

from django.contrib.sessions.backends import db
from django.db import connections, router
from django.utils import timezone


class SessionStore(db.SessionStore):
    def load(self):
        model = self.model
        with connections[router.db_for_read(model)].cursor() as cursor:
            cursor.execute(
                f"SELECT session_data FROM {model._meta.db_table}"
                " WHERE session_key = %s AND expire_date > %s",
                [self.session_key, timezone.now()],
            )
            row = cursor.fetchone()
        if row is None:
            self._session_key = None  # as Django's: an unknown or expired key is not reused
            return {}
        return self.decode(row[0])
