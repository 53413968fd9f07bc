"""Who is voting and writing: a registered participant (by their personal link) or an anonymous browser.

A browser gets a random id in a signed cookie when its person joins a board (opens the board's page); nothing
about the person is in it. A new id costs something: one client address gets at most WERKCONFERENTIE_LIVE_JOIN_RATE
of them (live/ratelimit.py), so a script cannot mint a voter per request. An API response never hands one out.
A participant who came through their personal link is remembered in the session, so their votes are theirs
(and go with an erasure of their registration).
"""

import secrets

from django.conf import settings

COOKIE = "wc_live"
SALT = "werkconferentie.live.browser"
MAX_AGE = 60 * 60 * 24 * 60
SESSION_REGISTRATION = "live.registration"


class Identity:
    def __init__(self, request):
        self.request = request
        self.new_browser_id = None  # issued by join(): set as the cookie by keep()
        self._throwaway_id = None
        self._registration = False

    @property
    def registration(self):
        """The registration of the personal link this browser came through, if it is still there."""
        if self._registration is False:
            from werkconferentie.registration.models import Registration

            pk = self.request.session.get(SESSION_REGISTRATION) if hasattr(self.request, "session") else None
            self._registration = (
                Registration.objects.select_related("municipality").filter(pk=pk).first() if pk else None
            )
        return self._registration

    def registration_for(self, event):
        registration = self.registration
        return registration if registration is not None and registration.event_id == event.pk else None

    @property
    def cookie_id(self) -> str | None:
        """The browser id this request brought in its signed cookie, if any."""
        browser_id = self.request.get_signed_cookie(COOKIE, default=None, salt=SALT)
        return browser_id if browser_id and len(browser_id) <= 40 else None

    @property
    def browser_id(self) -> str:
        """The browser's id: its cookie's, or the one join() just issued. A browser with neither gets an id for
        this request only (an answer's author), which is never kept: it can vote with nothing."""
        browser_id = self.cookie_id or self.new_browser_id
        if browser_id is None:
            if self._throwaway_id is None:
                self._throwaway_id = secrets.token_hex(12)
            browser_id = self._throwaway_id
        return browser_id

    def join(self, event) -> bool:
        """The person opens a board: give the browser a voter id (kept by keep()) when it has none, within the
        client address's budget of new ids. False when the budget is spent (the page works; voting waits)."""
        if self.known(event) or self.new_browser_id is not None:
            return True
        from .ratelimit import join_allowed

        if not join_allowed(self.request):
            return False
        self.new_browser_id = secrets.token_hex(12)
        return True

    def known(self, event) -> bool:
        """Whether this request has a voter: a signed browser id (from before, or just issued), or a personal link."""
        if self.cookie_id is not None or self.new_browser_id is not None:
            return True
        return self.registration_for(event) is not None

    def voter(self, event) -> str:
        registration = self.registration_for(event)
        return f"r{registration.pk}" if registration is not None else f"b{self.browser_id}"

    def keep(self, response):
        """Set the cookie on the response when join() gave the browser its id in this request."""
        if self.new_browser_id is not None:
            response.set_signed_cookie(
                COOKIE,
                self.new_browser_id,
                salt=SALT,
                max_age=MAX_AGE,
                httponly=True,
                samesite="Lax",
                secure=settings.SESSION_COOKIE_SECURE,
            )
        return response
