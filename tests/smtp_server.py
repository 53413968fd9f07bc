"""A real SMTP server on loopback (aiosmtpd) that keeps what it receives; the `smtp_server` fixture starts one."""

import asyncio
import email
import email.policy
import socket
import time

from aiosmtpd.controller import Controller


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Mailbox:
    """aiosmtpd handler: every accepted message, in order of arrival."""

    def __init__(self):
        self.envelopes = []
        # Hold every message until this many clients are connected at once, so that competing workers are
        # sure to overlap (for at most 15 s).
        self.wait_for_clients = 0
        self.clients = set()

    async def handle_DATA(self, server, session, envelope):
        self.clients.add(id(session))
        deadline = time.monotonic() + 15
        while len(self.clients) < self.wait_for_clients and time.monotonic() < deadline:
            await asyncio.sleep(0.01)
        self.envelopes.append(envelope)
        return "250 Message accepted for delivery"

    @property
    def messages(self) -> list[email.message.EmailMessage]:
        return [email.message_from_bytes(e.original_content, policy=email.policy.default) for e in self.envelopes]


class SMTPServer:
    """An SMTP server on 127.0.0.1 that can be stopped and started again on the same port."""

    def __init__(self, port: int):
        self.port = port
        self.mailbox = Mailbox()
        self.controller: Controller | None = None

    def start(self) -> None:
        # A fresh controller each time: a stopped one does not start again cleanly.
        self.controller = Controller(self.mailbox, hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self) -> None:
        if self.controller is not None:
            self.controller.stop()
            self.controller = None

    @property
    def messages(self):
        return self.mailbox.messages
