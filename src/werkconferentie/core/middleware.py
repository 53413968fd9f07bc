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


class ContentSecurityPolicyMiddleware:
    """A Content-Security-Policy on every response (settings.CONTENT_SECURITY_POLICY).

    Scripts only from this site's own files, never inline: text that slipped into a page cannot run. Styles may
    be inline (the admin and a few pages set widths of bars inline); frames, plugins and foreign forms are off.
    A view that set its own policy keeps it.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if settings.CONTENT_SECURITY_POLICY and "Content-Security-Policy" not in response:
            response["Content-Security-Policy"] = settings.CONTENT_SECURITY_POLICY
        return response


class TrustedProxyMiddleware:
    """The client's address from X-Forwarded-For, but only when the request came from a proxy the operator named.

    WERKCONFERENTIE_TRUSTED_PROXIES lists the proxies' addresses or networks (empty: trust none; then the header
    is ignored). From a trusted proxy, the address is the right-most one in the header that is not itself a
    trusted proxy: each proxy appends the address it saw, so what a client wrote further left counts for nothing.
    From anyone else the forwarding headers are removed, so that no later code (the rate limits, the login
    lockout, Django's secure-request check) can be fooled by them.
    """

    FORWARDING_HEADERS = ("HTTP_X_FORWARDED_FOR", "HTTP_X_FORWARDED_PROTO", "HTTP_X_FORWARDED_HOST", "HTTP_FORWARDED")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        settle_client_address(request.META, settings.TRUSTED_PROXIES)
        return self.get_response(request)


def _trusted(address: str, proxies) -> bool:
    import ipaddress

    try:
        ip = ipaddress.ip_address(address.strip())
    except ValueError:
        return False
    return any(ip in network for network in proxies)


def settle_client_address(meta: dict, proxies) -> None:
    """Put the client's real address in meta["REMOTE_ADDR"] (see TrustedProxyMiddleware); a plain function."""
    peer = meta.get("REMOTE_ADDR") or ""
    if not proxies or not _trusted(peer, proxies):
        for header in TrustedProxyMiddleware.FORWARDING_HEADERS:
            meta.pop(header, None)
        return
    hops = [hop.strip() for hop in meta.get("HTTP_X_FORWARDED_FOR", "").split(",") if hop.strip()]
    for hop in reversed(hops):
        if not _trusted(hop, proxies):
            meta["REMOTE_ADDR"] = hop
            return
    if hops:
        meta["REMOTE_ADDR"] = hops[0]
