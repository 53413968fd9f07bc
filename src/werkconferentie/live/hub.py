"""Fan-out of the live feed inside one server process, for the server-sent event streams (stream.py).

One task per process follows the change table (changes.Follower) every TICK seconds, builds each changed
board's update once per audience (everyone, or the host) and hands the same bytes to every stream of that board.
A stream that cannot keep up (its queue is full) is ended; the browser reconnects and starts from a snapshot.
"""

import asyncio
import contextvars
import json
import logging
import time
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor

from django.db import close_old_connections

from . import changes, present
from .boards import board_with_titles

logger = logging.getLogger(__name__)

TICK = 0.2  # seconds between looks at the change table
PRUNE_EVERY = 600.0
QUEUE_SIZE = 200
PUBLIC, HOST = "public", "host"


def sse(event: str, data: dict, event_id: int | None = None) -> bytes:
    lines = [f"event: {event}"]
    if event_id is not None:
        lines.append(f"id: {event_id}")
    lines.append("data: " + json.dumps(data, ensure_ascii=False, separators=(",", ":")))
    return ("\n".join(lines) + "\n\n").encode()


def build_update(board_id: int, answer_ids: set, audience: str) -> dict | None:
    board = board_with_titles().filter(pk=board_id).first()
    if board is None:
        return None
    ids = sorted(answer_id for answer_id in answer_ids if answer_id is not None)
    if audience == HOST:
        answers, removed = present.host_answers(board, ids)
    else:
        answers, removed = present.public_answers(board, ids)
    update = {"answers": answers, "removed": removed}
    if None in answer_ids:
        update["board"] = present.board_state(board)
    return update


def build_snapshot(board_id: int, audience: str) -> dict | None:
    board = board_with_titles().filter(pk=board_id).first()
    if board is None:
        return None
    answers, _removed = present.host_answers(board) if audience == HOST else present.public_answers(board)
    return {"board": present.board_state(board), "answers": answers}


def _poll(follower: changes.Follower) -> list:
    close_old_connections()
    return follower.poll(time.monotonic())


def _end(queue: asyncio.Queue) -> None:
    """Tell a stream that fell behind to stop: its queue is emptied and ends with None."""
    while not queue.empty():
        queue.get_nowait()
    queue.put_nowait(None)


class Hub:
    def __init__(self):
        self.queues: dict[tuple[int, str], set[asyncio.Queue]] = defaultdict(set)
        self.task: asyncio.Task | None = None
        self.follower: changes.Follower | None = None
        # The feed's database work runs in one thread of its own: one connection, never a request's thread.
        self.executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="live-feed")

        # The last snapshot per (board, audience), reused while nothing changed: a thousand viewers that connect
        # at once cost one snapshot, not a thousand.
        self.snapshots: dict[tuple[int, str], tuple[int, bytes]] = {}

    async def run_sync(self, function, *args):
        return await asyncio.get_running_loop().run_in_executor(self.executor, function, *args)

    async def snapshot(self, board_id: int, audience: str) -> bytes:
        """The board as it is now, as an event; from the cache when no change was seen since it was made."""
        seen = self.follower.last_id if self.follower is not None and self.task and not self.task.done() else None
        cached = self.snapshots.get((board_id, audience))
        if seen is not None and cached is not None and cached[0] == seen:
            return cached[1]
        data = await self.run_sync(build_snapshot, board_id, audience)
        message = sse("snapshot", data or {"board": None, "answers": []})
        if seen is not None:
            self.snapshots[(board_id, audience)] = (seen, message)
        return message

    def subscribe(self, board_id: int, audience: str) -> asyncio.Queue:
        queue: asyncio.Queue = asyncio.Queue(QUEUE_SIZE)
        self.queues[(board_id, audience)].add(queue)
        if self.task is None or self.task.done():
            # A context of its own: the task outlives the request that started it.
            self.task = asyncio.get_running_loop().create_task(self._run(), context=contextvars.Context())
        return queue

    def unsubscribe(self, board_id: int, audience: str, queue: asyncio.Queue) -> None:
        queues = self.queues.get((board_id, audience))
        if queues is not None:
            queues.discard(queue)
            if not queues:
                del self.queues[(board_id, audience)]

    async def _run(self) -> None:
        self.follower = await self.run_sync(changes.Follower)
        last_prune = time.monotonic()
        while True:
            await asyncio.sleep(TICK)
            try:
                await self._tick()
                if time.monotonic() - last_prune > PRUNE_EVERY:
                    last_prune = time.monotonic()
                    await self.run_sync(changes.prune)
            except asyncio.CancelledError:
                raise
            except Exception:  # a bad tick must not end the feed for everyone
                logger.exception("live feed tick failed")
                await asyncio.sleep(1)

    async def _tick(self) -> None:
        rows = await self.run_sync(_poll, self.follower)
        if not rows:
            return
        changed: dict[int, set] = defaultdict(set)
        for _change_id, board_id, answer_id in rows:
            changed[board_id].add(answer_id)
        for board_id, answer_ids in changed.items():
            for audience in (PUBLIC, HOST):
                queues = self.queues.get((board_id, audience))
                if not queues:
                    continue
                update = await self.run_sync(build_update, board_id, answer_ids, audience)
                if update is None:
                    continue
                message = sse("update", update, self.follower.last_id)
                for queue in list(queues):
                    try:
                        queue.put_nowait(message)
                    except asyncio.QueueFull:
                        queues.discard(queue)
                        _end(queue)


hub = Hub()
