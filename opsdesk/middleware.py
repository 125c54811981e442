from django.conf import settings
from django.utils import translation
from django.utils.cache import patch_vary_headers


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
