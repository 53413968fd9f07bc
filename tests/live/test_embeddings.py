"""Embeddings kept per answer (live.embeddings): made when the answer's duplicates are looked for, read back by the
outcome's theme proposals instead of encoding every answer again."""

import numpy as np
import pytest

from werkconferentie.live import embeddings
from werkconferentie.live.models import AnswerEmbedding
from werkconferentie.live.similarity import DuplicateFinder, default_finder

pytestmark = pytest.mark.django_db


@pytest.fixture
def answer_on(answer_on, django_capture_on_commit_callbacks):
    """As the board does after the answer's transaction: look for its duplicates (and keep its embedding)."""

    def make(board, text):
        with django_capture_on_commit_callbacks(execute=True):
            return answer_on(board, text)

    return make


@pytest.fixture
def encoder():
    finder = default_finder()
    if not finder.encoder_available:
        pytest.skip("no sentence encoder installed")
    return finder


def test_a_new_answer_keeps_its_embedding(board, answer_on, encoder) -> None:
    answer = answer_on(board, "Kortere wachtlijsten in de jeugdzorg")
    kept = AnswerEmbedding.objects.get(answer=answer)
    assert kept.key.startswith(encoder.encoder_key + ":")
    vector = np.frombuffer(bytes(kept.vector), dtype=np.float32)
    (expected,) = encoder.embeddings([answer.text])
    assert vector.shape == (384,)
    np.testing.assert_allclose(vector, expected, atol=1e-6)


def test_kept_vectors_are_read_not_made_again(board, answer_on, encoder) -> None:
    answer = answer_on(board, "Kortere wachtlijsten in de jeugdzorg")
    planted = np.zeros(384, dtype=np.float32)
    planted[7] = 1.0  # no encoder makes this vector: finding it back proves the row was read
    AnswerEmbedding.objects.filter(answer=answer).update(vector=planted.tobytes())
    (vector,) = embeddings.answer_embeddings([(answer.pk, answer.text)])
    np.testing.assert_array_equal(vector, planted)


def test_another_text_or_encoder_is_encoded_again_and_kept(board, answer_on, encoder) -> None:
    first = answer_on(board, "Kortere wachtlijsten in de jeugdzorg")
    second = answer_on(board, "Meer speeltuinen in de wijk")
    AnswerEmbedding.objects.filter(answer=first).update(key="usem3-old:0000", vector=np.ones(384, np.float32).tobytes())
    # The second answer's text changed after it was kept (a merged answer's text can be edited).
    vectors = embeddings.answer_embeddings([(first.pk, first.text), (second.pk, "Een kinderburgemeester")])
    expected = encoder.embeddings([first.text, "Een kinderburgemeester"])
    for vector, wanted in zip(vectors, expected, strict=True):
        np.testing.assert_allclose(vector, wanted, atol=1e-6)
    assert AnswerEmbedding.objects.get(answer=first).key.startswith(encoder.encoder_key + ":")
    again = np.frombuffer(bytes(AnswerEmbedding.objects.get(answer=second).vector), dtype=np.float32)
    np.testing.assert_allclose(again, expected[1], atol=1e-6)


def test_answers_without_an_embedding_are_encoded_and_kept(board, encoder) -> None:
    from werkconferentie.live.models import Answer

    made = Answer.objects.create(board=board, text="Een kinderraad in elke gemeente", idempotency_key="bulk-1")
    empty = Answer.objects.create(board=board, text="?!", idempotency_key="bulk-2")
    vectors = embeddings.answer_embeddings([(made.pk, made.text), (empty.pk, empty.text)])
    assert vectors[1] is None  # nothing to encode after normalising
    assert AnswerEmbedding.objects.filter(answer=made).exists()
    assert not AnswerEmbedding.objects.filter(answer=empty).exists()


def test_without_an_encoder_nothing_is_kept(board, answer_on) -> None:
    text_only = DuplicateFinder(None)
    answer = answer_on(board, "Meer speeltuinen in de wijk")
    AnswerEmbedding.objects.all().delete()
    embeddings.remember(answer.pk, answer.text, text_only)
    assert embeddings.answer_embeddings([(answer.pk, answer.text)], text_only) is None
    assert not AnswerEmbedding.objects.exists()


def test_deleting_the_answer_deletes_its_embedding(board, answer_on, encoder) -> None:
    answer = answer_on(board, "Kortere wachtlijsten in de jeugdzorg")
    assert AnswerEmbedding.objects.filter(answer_id=answer.pk).exists()
    answer.delete()
    assert not AnswerEmbedding.objects.filter(answer_id=answer.pk).exists()
