"""The plan pages (docs/targets.md#pages). Built next."""

from django.http import Http404


def target_list(request):
    raise Http404


def plan_detail(request, slug: str, year: int):
    raise Http404
