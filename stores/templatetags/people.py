from django import template

register = template.Library()


@register.filter
def person(user) -> str:
    """A user's name as colleagues say it: 李思雨 (family name first), else the username."""
    if user is None:
        return ""
    family, given = user.last_name.strip(), user.first_name.strip()
    if not (family or given):
        return user.get_username()
    if (family + given).isascii():
        return f"{given} {family}".strip()
    return f"{family}{given}"
