"""Sentence embeddings of answers kept in the database (AnswerEmbedding), made once when an answer arrives.

The duplicate finder (similarity.py) encodes every new answer to compare it with the board; keeping that vector
lets the outcome's theme proposals group the day's answers in well under a second instead of encoding them all
again (multilingual-e5-small costs about 20 ms of CPU per answer: 40 s for 2,000). Vectors are used only for the
encoder and the text they were made from; anything missing is encoded and kept.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Sequence

import numpy as np

from .models import AnswerEmbedding
from .similarity import DuplicateFinder, default_finder, normalise

logger = logging.getLogger(__name__)


def _key(encoder_key: str, text: str) -> str:
    return f"{encoder_key}:{hashlib.sha1(normalise(text).encode()).hexdigest()[:16]}"


def remember(answer_id: int, text: str, finder: DuplicateFinder | None = None) -> None:
    """Keep the embedding of an answer (from the finder's cache when it was just compared). Never raises: the
    embedding is a help for later, not part of the answer."""
    finder = finder or default_finder()
    try:
        if finder.encoder_key is None:
            return
        (vector,) = finder.embeddings([text]) or [None]
        if vector is None:
            return
        AnswerEmbedding.objects.update_or_create(
            answer_id=answer_id,
            defaults={"key": _key(finder.encoder_key, text), "vector": np.asarray(vector, np.float32).tobytes()},
        )
    except Exception:
        logger.exception("could not keep the embedding of answer %s", answer_id)


def answer_embeddings(answers: Sequence[tuple[int, str]], finder: DuplicateFinder | None = None) -> list | None:
    """Unit-length embeddings of (id, text) answers, in order (None for a text without words); None without an
    encoder. Kept vectors are read; the others are encoded in one batch and kept."""
    finder = finder or default_finder()
    encoder_key = finder.encoder_key
    if encoder_key is None:
        return None
    keys = [_key(encoder_key, text) for _, text in answers]
    stored = {
        answer_id: (key, bytes(vector))
        for answer_id, key, vector in AnswerEmbedding.objects.filter(
            answer_id__in=[answer_id for answer_id, _ in answers]
        ).values_list("answer_id", "key", "vector")
    }
    result: list = [None] * len(answers)
    missing = []
    for position, ((answer_id, _), key) in enumerate(zip(answers, keys, strict=True)):
        found = stored.get(answer_id)
        if found is not None and found[0] == key:
            result[position] = np.frombuffer(found[1], dtype=np.float32)
        else:
            missing.append(position)
    if missing:
        vectors = finder.embeddings([answers[p][1] for p in missing])
        if vectors is None:
            return None
        fresh = []
        for position, vector in zip(missing, vectors, strict=True):
            result[position] = vector
            if vector is not None:
                answer_id = answers[position][0]
                fresh.append(
                    AnswerEmbedding(
                        answer_id=answer_id, key=keys[position], vector=np.asarray(vector, np.float32).tobytes()
                    )
                )
        # Replaced rows (another encoder or text) go first; two proposals at once may both write a row.
        AnswerEmbedding.objects.filter(answer_id__in=[e.answer_id for e in fresh]).delete()
        AnswerEmbedding.objects.bulk_create(fresh, batch_size=500, ignore_conflicts=True)
    return result
