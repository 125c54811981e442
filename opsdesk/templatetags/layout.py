"""The page layout's tags."""

from django import template
from django.conf import settings
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.urls import get_script_prefix, get_urlconf
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from stores import access

register = template.Library()

# The navigation's HTML for each language and set of links: it depends on nothing else, so it is
# rendered once per process and combination. Which links a user gets is decided on every request.
_navigations: dict[tuple, str] = {}


def navigation_links(user) -> dict[str, bool]:
    """The navigation's links beyond those everybody gets, by the user's roles now."""
    return {
        "team_checklists": access.oversees_an_organisation(user),
        "rollup_jobs": access.leads_an_organisation(user),
        "admin": user.is_staff,
    }


def layout_inputs(request) -> list[str]:
    """Everything templates/base.html shows for a logged-in request, besides the page's own
    blocks and the messages: a page kept whole (the dashboard) is kept under these, so whatever
    base.html comes to show must be named here too."""
    user = request.user
    return [
        get_language(),
        get_script_prefix(),
        request.get_full_path(),  # the language switch comes back to it
        request.COOKIES.get(settings.CSRF_COOKIE_NAME, ""),  # the forms' token
        static("css/opsdesk.css"),  # a new release's stylesheet
        str(user.pk),
        user.get_username(),
        user.first_name,
        user.last_name,
        *(str(shown) for shown in navigation_links(user).values()),
    ]


@register.simple_tag(takes_context=True)
def navigation(context) -> str:
    links = navigation_links(context["user"])
    key = (get_language(), get_script_prefix(), get_urlconf(), *links.values())
    html = _navigations.get(key)
    if html is None:
        html = render_to_string("includes/nav.html", links)
        if not settings.DEBUG:  # in development a changed template shows at once
            _navigations[key] = html
    return mark_safe(html)
