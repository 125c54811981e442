from csp.constants import SELF, UNSAFE_INLINE
from csp.middleware import CSPMiddleware as BaseCSPMiddleware
from django.conf import settings
from django.utils import translation
from django.utils.cache import patch_cache_control, patch_vary_headers

# django-rq's dashboard (staff only) has inline scripts and styles; nothing else may (CSPMiddleware).
RQ_DASHBOARD_PREFIX = "/admin/django-rq/"


class ChineseFirstLocaleMiddleware:
    """Chinese unless the user picked another language with the switcher (stored in a cookie).

    Django's LocaleMiddleware would follow the browser's Accept-Language; our users share
    machines and browsers set to English, and the team works in Chinese, so only an explicit
    choice changes the language.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if not language or not translation.check_for_language(language):
            language = settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
        response = self.get_response(request)
        patch_vary_headers(response, ("Cookie",))
        response.headers.setdefault("Content-Language", request.LANGUAGE_CODE)
        return response


class CSPMiddleware(BaseCSPMiddleware):
    """django-csp's CONTENT_SECURITY_POLICY on every page; inline scripts and styles on django-rq's alone.

    Those third-party admin pages (staff only) select jobs and open results with inline scripts
    and lay out with inline styles; no page of ours has either, so only there are script-src and
    style-src widened to 'unsafe-inline' (style-src without plotly's hashes: a browser ignores
    'unsafe-inline' next to a hash).
    """

    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request, response, report_only=report_only)
        if request.path_info.startswith(RQ_DASHBOARD_PREFIX) and not (parts.update or parts.replace):
            parts.update = {"script-src": [UNSAFE_INLINE]}
            parts.replace = {"style-src": [SELF, UNSAFE_INLINE]}
        return parts


class PrivateNoStoreMiddleware:
    """Cache-Control: private, no-store on every response to a logged-in user's request.

    Pages and downloads carry a store's numbers: neither a shared cache nor the browser's disk may
    keep them. Doing it here means no new page or export can forget it. Static files never get
    this far (whitenoise answers them first) and keep their long caching.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            patch_cache_control(response, private=True, no_store=True)
        return response
