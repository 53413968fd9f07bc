"""All letters of an event in one ZIP: the general letter and one per municipality, as PDF and Word, with a CSV
of the addressees.

A letter renders in about a fifth of a second (PDF and Word together), so the 345 municipalities of 2022 take a
minute on one core. `letters_zip(workers=N)` renders in N processes forked from this one: the letters' content
is computed first in this process (one pass over the database), only plain data goes to the workers, and they
render templates, which needs no database. Forking is for the command line; a web request renders in its own
process (workers=1).
"""

from __future__ import annotations

import csv
import io
import multiprocessing
import os
import zipfile
from collections.abc import Callable, Iterable
from concurrent.futures import ProcessPoolExecutor

from django.db import connections

from werkconferentie.events.models import Event
from werkconferentie.reference.models import Municipality

from . import raadsadres
from .models import GriffieAddress

Progress = Callable[[int, int], None]  # (done, total)
KINDS = ("pdf", "docx")
ADDRESS_COLUMNS = ["cbs_code", "gemeente", "provincie", "aan", "griffie_e-mail", "griffie_postadres", "pdf", "docx"]


def _render_one(job: tuple[raadsadres.Letter, str, str]) -> tuple[str, bytes]:
    letter, kind, name = job
    return name, raadsadres.render(letter, kind)


def address_rows(letters: Iterable[tuple[Municipality | None, raadsadres.Letter]]) -> list[list[str]]:
    """One row per municipal letter: to whom, the griffie's addresses where known (GriffieAddress), the files."""
    letters = [(m, letter) for m, letter in letters if m is not None]
    griffies = {g.municipality_id: g for g in GriffieAddress.objects.filter(municipality__in=[m for m, _ in letters])}
    rows = []
    for municipality, letter in letters:
        griffie = griffies.get(municipality.code)
        rows.append(
            [
                municipality.code,
                municipality.name,
                municipality.province_name,
                " ".join(letter.addressee),
                griffie.email if griffie else "",
                " / ".join(line.strip() for line in griffie.postal_address.splitlines() if line.strip())
                if griffie
                else "",
                raadsadres.filename(municipality, "pdf"),
                raadsadres.filename(municipality, "docx"),
            ]
        )
    return rows


def _csv(rows: list[list[str]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    writer.writerow(ADDRESS_COLUMNS)
    writer.writerows(rows)
    return ("\ufeff" + out.getvalue()).encode("utf-8")  # a BOM, so Excel reads the accents


def letters_zip(
    event: Event,
    municipalities: list[Municipality],
    *,
    facts: raadsadres.EventFacts | None = None,
    language: str = "nl",
    general: bool = True,
    workers: int = 1,
    progress: Progress | None = None,
) -> bytes:
    """The ZIP: algemeen.pdf/.docx (when `general`), <CBS code>-<name>.pdf/.docx per municipality, adressen.csv."""
    facts = facts or raadsadres.event_facts(event)
    addressed: list[tuple[Municipality | None, raadsadres.Letter]] = []
    if general:
        addressed.append((None, raadsadres.letter(facts, None, language)))
    addressed += [(m, raadsadres.letter(facts, m, language)) for m in municipalities]
    jobs = [(letter, kind, raadsadres.filename(m, kind)) for m, letter in addressed for kind in KINDS]
    files: dict[str, bytes] = {}
    for done, (name, content) in enumerate(_render_all(jobs, workers), start=1):
        files[name] = content
        if progress:
            progress(done, len(jobs))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for _letter, _kind, name in jobs:
            # PDF and Word files are compressed inside already: stored as they are, which saves the CPU.
            archive.writestr(name, files[name], compress_type=zipfile.ZIP_STORED)
        archive.writestr("adressen.csv", _csv(address_rows(addressed)))
    return buffer.getvalue()


def _render_all(jobs: list, workers: int):
    if workers <= 1 or len(jobs) < 4:
        yield from map(_render_one, jobs)
        return
    # Warm up here, so that every child inherits loaded fonts and templates instead of each spending half a
    # second on its first letter.
    yield _render_one(jobs[0])
    jobs = jobs[1:]
    # The children never use the database, and a forked child leaves with os._exit, so it never closes (or
    # says goodbye on) a connection it inherited; closing them here first is only tidier, and impossible inside
    # a transaction (a test's).
    if not any(connection.in_atomic_block for connection in connections.all(initialized_only=True)):
        connections.close_all()
    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
        yield from pool.map(_render_one, jobs, chunksize=max(1, len(jobs) // (workers * 8)))


def default_workers() -> int:
    return max(1, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1))
