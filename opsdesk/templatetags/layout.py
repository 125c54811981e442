"""The page layout's tags."""

from django import template
from django.conf import settings
from django.template.loader import render_to_string
from django.urls import get_script_prefix, get_urlconf
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from stores import access

register = template.Library()

# The navigation's HTML for each language and set of links: it depends on nothing else, so it is
# rendered once per process and combination. Which links a user gets is decided on every request.
_navigations: dict[tuple, str] = {}


@register.simple_tag(takes_context=True)
def navigation(context) -> str:
    user = context["user"]
    links = {
        "team_checklists": access.oversees_an_organisation(user),
        "rollup_jobs": access.leads_an_organisation(user),
        "admin": user.is_staff,
    }
    key = (get_language(), get_script_prefix(), get_urlconf(), *links.values())
    html = _navigations.get(key)
    if html is None:
        html = render_to_string("includes/nav.html", links)
        if not settings.DEBUG:  # in development a changed template shows at once
            _navigations[key] = html
    return mark_safe(html)
