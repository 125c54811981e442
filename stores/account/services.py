"""The writes of My account: one's own name and email, and ending one's other sessions."""

from django.contrib.sessions.models import Session
from django.utils import timezone

AUTH_USER_KEY = "_auth_user_id"  # where django.contrib.auth keeps the user's id in a session


def account_update(*, user, first_name: str, last_name: str, email: str) -> None:
    user.first_name, user.last_name, user.email = first_name.strip(), last_name.strip(), email.strip()
    user.save(update_fields=["first_name", "last_name", "email"])


def other_sessions_end(*, user, current_session_key: str | None) -> int:
    """Log the user out everywhere but here: delete their other live sessions (read through Django's
    session store; a team's few hundred sessions are read in one query). Returns how many."""
    ended = []
    for session in Session.objects.filter(expire_date__gt=timezone.now()).exclude(
        session_key=current_session_key
    ):
        if str(session.get_decoded().get(AUTH_USER_KEY)) == str(user.pk):
            ended.append(session.session_key)
    Session.objects.filter(session_key__in=ended).delete()
    return len(ended)
