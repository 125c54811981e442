"""Small helpers for views of every app (stores is the lowest app: any of them may import it)."""

from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme


def redirect_to_next(request, fallback, *args, **kwargs):
    """Back to the page a form's `next` names, when it is a page of this site; else to `fallback`.

    `next` comes from the request, so anyone can put any address in it: another site (an open
    redirect for phishing), `//evil.example`, `javascript:`. Only a relative path or an address
    on this host (https when the request is) is followed, as Django's login view does.
    `fallback`, with `args` and `kwargs`, is what django.shortcuts.redirect takes.
    """
    target = request.POST.get("next") or request.GET.get("next") or ""
    allowed_hosts, require_https = {request.get_host()}, request.is_secure()
    if url_has_allowed_host_and_scheme(target, allowed_hosts=allowed_hosts, require_https=require_https):
        return redirect(target)
    return redirect(fallback, *args, **kwargs)
