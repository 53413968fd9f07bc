from collections.abc import Callable

from django.conf import settings
from django.middleware.locale import LocaleMiddleware
from django.utils import translation

# Apps above core that know a page's own language (registration: the pages behind a personal link) register a
# function path -> language or None at ready(); core does not import them (docs/development.md, "Layers").
_page_languages: list[Callable[[str], str | None]] = []


def register_page_language(page_language: Callable[[str], str | None]) -> None:
    """Let the pages a path names follow a language of their own (the one a person registered in) when the visitor
    has not chosen one with the switch. Call it from the app's AppConfig.ready()."""
    if page_language not in _page_languages:
        _page_languages.append(page_language)


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
            language = self.page_language(request.path_info) or settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()

    @staticmethod
    def page_language(path: str) -> str | None:
        """The page's own language, if a registered app knows one for this path and the site offers it."""
        for page_language in _page_languages:
            language = page_language(path)
            if language in dict(settings.LANGUAGES):
                return language
        return None
