import re

from django.conf import settings
from django.middleware.locale import LocaleMiddleware
from django.utils import translation

# The pages behind a personal link: the registrant's own language unless she chose one with the switch.
PERSONAL_PAGE = re.compile(r"^/aanmelding/(?P<token>[^/]+)/")


class DutchFirstLocaleMiddleware(LocaleMiddleware):
    """Dutch unless the visitor chose another language with the language switch (kept in a cookie).

    Django's own middleware also follows the browser's Accept-Language; a Dutch public site is Dutch first, so
    an English-language browser still gets the Dutch page with a visible switch to English. The pages behind a
    personal link follow the language the person registered in (her link from the mail often opens on another
    device), until she uses the switch.
    """

    def process_request(self, request):
        language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if language not in dict(settings.LANGUAGES):
            language = self.registrants_language(request.path_info) or settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()

    @staticmethod
    def registrants_language(path: str) -> str | None:
        """The language someone registered in, on the pages behind her personal link (one query)."""
        match = PERSONAL_PAGE.match(path)
        if match is None:
            return None
        from werkconferentie.registration.links import ExpiredLink, InvalidLink, registration_from_token

        try:
            language = registration_from_token(match["token"]).language
        except (InvalidLink, ExpiredLink):
            return None
        return language if language in dict(settings.LANGUAGES) else None
