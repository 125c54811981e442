"""The writes of My account: one's own name and email, and ending one's other sessions."""

from django.conf import settings
from django.contrib.sessions.models import Session
from django.utils import timezone

from stores.models import Profile

AUTH_USER_KEY = "_auth_user_id"  # where django.contrib.auth keeps the user's id in a session


def account_update(*, user, first_name: str, last_name: str, email: str, language: str) -> None:
    user.first_name, user.last_name, user.email = first_name.strip(), last_name.strip(), email.strip()
    user.save(update_fields=["first_name", "last_name", "email"])
    language_save(user=user, language=language)


def language_save(*, user, language: str) -> None:
    """The person's language: the one their pages are in from their next login on, on any device
    (the language cookie carries it between logins)."""
    if language not in dict(settings.LANGUAGES):
        raise ValueError(f"Not a language of the site: {language!r}")
    Profile.objects.update_or_create(user=user, defaults={"language": language})


def language_of(user) -> str:
    """The person's chosen language, else the site's."""
    chosen = Profile.objects.filter(user=user).values_list("language", flat=True).first()
    return chosen or settings.LANGUAGE_CODE


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
