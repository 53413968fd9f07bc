"""An open host stream ends when its browser may no longer host: logged out, or links renewed (issue 14.6).

Through Django's ASGI handler in the test process (AsyncClient), so that the stream really stays open.
"""

import asyncio
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.contrib.sessions.models import Session
from django.test import AsyncClient, Client
from django.urls import reverse

from werkconferentie.live import access
from werkconferentie.live.models import Board, new_secret

pytestmark = pytest.mark.django_db(transaction=True)


async def first_chunks(response, count: int) -> list[bytes]:
    iterator = aiter(response.streaming_content)
    return [await asyncio.wait_for(anext(iterator), timeout=10) for _ in range(count)], iterator


def open_stream(cookies, code, *, wait: float = 20.0):
    """A coroutine maker: open the host stream, make `change`, then wait up to `wait` seconds for the stream to end
    (TimeoutError when it does not)."""
    client = AsyncClient()
    client.cookies = cookies

    async def follow(change):
        response = await client.get(reverse("live:host_stream", args=[code]))
        assert response.status_code == 200
        chunks, iterator = await first_chunks(response, 2)  # retry, snapshot
        assert b"snapshot" in chunks[1]
        await asyncio.to_thread(change)

        async def rest():
            async for _chunk in iterator:
                pass

        await asyncio.wait_for(rest(), timeout=wait)

    return follow


def run(coroutine):
    """asyncio.run in a thread of its own: a browser test's Playwright may hold an event loop in this one."""
    with ThreadPoolExecutor(max_workers=1) as executor:
        return executor.submit(asyncio.run, coroutine).result()


@pytest.fixture
def quick_recheck(settings):
    settings.LIVE_HOST_STREAM_RECHECK_SECONDS = 0.2


def test_logging_out_ends_the_organisers_open_stream(board, organiser_of_roden, quick_recheck):
    client = Client()
    client.force_login(organiser_of_roden)
    stream = open_stream(client.cookies, board.code)
    run(stream(lambda: Session.objects.all().delete()))  # what logging out does to the session: the stream ends


def test_renewing_the_host_links_ends_the_hosts_open_stream(board, quick_recheck):
    client = Client()
    assert client.get(access.host_url(board, absolute=False)).status_code == 302

    def renew():
        Board.objects.filter(pk=board.pk).update(host_secret=new_secret())

    run(open_stream(client.cookies, board.code)(renew))  # ends (else TimeoutError)


def test_a_host_who_may_still_host_keeps_the_stream(board, organiser_of_roden, quick_recheck):
    client = Client()
    client.force_login(organiser_of_roden)
    with pytest.raises(TimeoutError):
        # Ten rechecks of 0.2 s and the stream is still open.
        run(open_stream(client.cookies, board.code, wait=2.0)(lambda: None))
