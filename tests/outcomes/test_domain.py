"""The outcome's domain without HTTP: public answers, theme operations, points, report texts, history."""

import datetime as dt

import pytest

from werkconferentie.live import boards as live
from werkconferentie.live.enums import AnswerStatus, BoardKind
from werkconferentie.outcomes import points, report, themes
from werkconferentie.outcomes.answers import public_answers
from werkconferentie.outcomes.errors import OutcomeError
from werkconferentie.outcomes.models import OutcomeChange, ThemeAnswer

pytestmark = pytest.mark.django_db


@pytest.fixture
def workshop(boards):
    return next(b for b in boards if b.kind == BoardKind.WORKSHOP)


@pytest.fixture
def children(boards):
    return next(b for b in boards if b.kind == BoardKind.CHILDREN)


def test_public_answers_count_a_merge_once_with_its_votes(roden, workshop, answer_on):
    first = answer_on(workshop, "Kortere wachtlijsten jeugdzorg", votes=2, role="wethouder")
    second = answer_on(workshop, "Wachtlijsten in de jeugdzorg korter", votes=1, role="beleidsmaker")
    live.vote(second, f"b{first.pk}-0")  # one person voted for both: counts once on the merged item
    hidden = answer_on(workshop, "Iets anders")
    live.update_answer(hidden, status=AnswerStatus.HIDDEN)
    merged = live.merge([first, second])
    rows = {row.id: row for row in public_answers(roden)}
    assert first.pk not in rows and second.pk not in rows and hidden.pk not in rows
    assert rows[merged.pk].votes == 3
    assert rows[merged.pk].merged == 2
    assert rows[merged.pk].roles == ["beleidsmaker", "wethouder"]


def test_children_answers_are_marked(roden, children, answer_on):
    answer = answer_on(children, "Meer speeltuinen", from_children=True)
    assert public_answers(roden) == []  # waits for the moderator
    live.update_answer(answer, status=AnswerStatus.VISIBLE)
    [row] = public_answers(roden)
    assert row.from_children and row.board_kind == BoardKind.CHILDREN


def test_theme_operations_keep_one_theme_per_answer_and_a_history(roden, workshop, answer_on, organiser):
    a = [answer_on(workshop, f"Antwoord {n}") for n in range(4)]
    first = themes.create_theme(roden, "Eerste", [x.pk for x in a[:3]], organiser)
    second = themes.create_theme(roden, "Tweede", [a[3].pk], organiser)
    themes.rename(first, "Wachtlijsten", organiser)
    themes.accept(first, organiser)
    themes.move(roden, [a[0].pk], second, organiser)
    assert ThemeAnswer.objects.get(answer=a[0]).theme == second
    new = themes.split(first, [a[1].pk], "Afgesplitst", organiser)
    assert themes.theme_answer_ids(new) == [a[1].pk]
    assert [t.title for t in themes.themes_of(roden)] == ["Wachtlijsten", "Afgesplitst", "Tweede"]
    themes.join(second, new, organiser)
    assert sorted(themes.theme_answer_ids(second)) == sorted([a[0].pk, a[1].pk, a[3].pk])
    actions = list(OutcomeChange.objects.filter(event=roden).order_by("pk").values_list("action", flat=True))
    assert actions == ["create", "create", "rename", "accept", "move", "split", "join"]
    assert OutcomeChange.objects.filter(action="rename").get().changes == {"title": ["Eerste", "Wachtlijsten"]}
    assert OutcomeChange.objects.filter(action="rename").get().user == organiser


def test_theme_operations_refuse_bad_input(roden, workshop, answer_on, other_event):
    answer = answer_on(workshop, "Iets")
    theme = themes.create_theme(roden, "Thema", [answer.pk])
    with pytest.raises(OutcomeError):
        themes.rename(theme, "   ")
    with pytest.raises(OutcomeError):
        themes.create_theme(roden, "Ander", ["x"])
    with pytest.raises(OutcomeError):
        themes.create_theme(other_event, "Ander", [answer.pk])  # not an answer of that event
    with pytest.raises(OutcomeError):
        themes.join(theme, theme)
    with pytest.raises(OutcomeError):
        themes.split(theme, [], "Leeg")


def test_point_from_theme_takes_title_answers_and_tags(roden, workshop, answer_on, organiser):
    a = answer_on(workshop, "Kortere wachtlijsten in de jeugdzorg", votes=3)
    b = answer_on(workshop, "Sneller hulp bij de jeugdhulp", votes=1)
    theme = themes.create_theme(roden, "Wachtlijsten jeugdzorg", [a.pk, b.pk])
    point = points.point_from_theme(theme, organiser)
    assert point.number == 1 and point.title_nl == "Wachtlijsten jeugdzorg"
    assert sorted(point.answers.values_list("pk", flat=True)) == sorted([a.pk, b.pk])
    assert point.policy_areas == ["jeugdhulp"]
    assert 3 in [c.number for c in point.crc_articles.all()]
    assert OutcomeChange.objects.filter(object_type="point", action="create").count() == 1


def test_points_are_numbered_without_gaps_and_requests_among_themselves(roden, organiser):
    one = points.create_point(roden, organiser, title_nl="Een", is_request=True)
    two = points.create_point(roden, organiser, title_nl="Twee")
    three = points.create_point(roden, organiser, title_nl="Drie", is_request=True)
    points.update_point(three, organiser, number=1, request_nl="Wij vragen de raad …")
    assert [p.title_nl for p in points.points_of(roden)] == ["Drie", "Een", "Twee"]
    assert [(p.title_nl, p.request_number) for p in points.requests(roden)] == [("Drie", 1), ("Een", 2)]
    change = OutcomeChange.objects.filter(object_type="point", action="update").get()
    assert change.changes["number"] == [3, 1] and change.changes["request_nl"] == ["", "Wij vragen de raad …"]
    points.delete_point(one, organiser)
    assert [p.number for p in points.points_of(roden)] == [1, 2]
    two.refresh_from_db()
    assert two.number == 2


@pytest.mark.parametrize(
    "values",
    [
        {"title_nl": ""},
        {"crc_articles": [99]},
        {"sdgs": ["x"]},
        {"policy_areas": ["nope"]},
        {"title_nl": "x" * 301},
        {"answers": [10**9]},
        {"number": 0},
        {"colour": "red"},
    ],
)
def test_points_refuse_bad_values(roden, values):
    with pytest.raises(OutcomeError):
        points.create_point(roden, **{"title_nl": "Titel", **values})


def test_letter_texts_default_and_placeholders(roden, organiser):
    roden.target_date = dt.date(2022, 11, 20)
    roden.save()
    settings = report.report_of(roden)
    texts = report.letter_texts(settings, "nl", municipality="Assen")
    assert "20 november 2022" in texts["handling"] and "Assen" in texts["intro"]
    assert "{" not in "".join(texts.values())
    english = report.letter_texts(settings, "en")
    assert "20 November 2022" in english["handling"] and "your municipality" in english["intro"]
    report.update_report(roden, organiser, intro_nl="Beste raad van {municipality}, {onbekend} {", letter_place="Assen")
    assert (
        report.letter_texts(report.report_of(roden), "nl", "Tynaarlo")["intro"]
        == "Beste raad van {municipality}, {onbekend} {"
    )
    report.update_report(roden, organiser, intro_nl="Beste raad van {municipality}, {onbekend}")
    assert (
        report.letter_texts(report.report_of(roden), "nl", "Tynaarlo")["intro"] == "Beste raad van Tynaarlo, {onbekend}"
    )
    assert report.letter_place(report.report_of(roden)) == "Assen"
    assert report.sender_name(report.report_of(roden))  # from the event's organising organisation


def test_publish_is_recorded(roden, organiser):
    assert not report.is_published(roden)
    report.publish(roden, organiser)
    assert report.is_published(roden)
    report.unpublish(roden, organiser)
    assert list(OutcomeChange.objects.filter(object_type="report").values_list("action", flat=True)) == [
        "unpublish",
        "publish",
    ]


def test_propose_themes_groups_by_meaning_and_names_after_the_most_voted(roden, boards, answer_on, organiser):
    workshop = [b for b in boards if b.kind == BoardKind.WORKSHOP]
    answer_on(workshop[0], "Kortere wachtlijsten in de jeugdzorg", votes=1)
    answer_on(workshop[1], "Geen wachttijden meer voor jeugdhulp", votes=4)
    answer_on(workshop[2], "Wachtlijst voor de jeugd-ggz aanpakken")
    answer_on(workshop[0], "Meer speeltuinen in de wijk", votes=2)
    answer_on(workshop[1], "Veilige speelplekken dichtbij huis")
    proposed = themes.propose_themes(roden, organiser)
    titles = {t.title: sorted(a.text for a in t.answers.all()) for t in proposed}
    assert titles["Geen wachttijden meer voor jeugdhulp"] == sorted(
        [
            "Kortere wachtlijsten in de jeugdzorg",
            "Geen wachttijden meer voor jeugdhulp",
            "Wachtlijst voor de jeugd-ggz aanpakken",
        ]
    )
    assert titles["Meer speeltuinen in de wijk"] == [
        "Meer speeltuinen in de wijk",
        "Veilige speelplekken dichtbij huis",
    ]
    assert OutcomeChange.objects.get(action="propose").changes["themes"] == [0, 2]


def test_propose_themes_reads_the_embeddings_kept_per_answer(roden, workshop, answer_on, organiser):
    """The vectors kept when the answers arrived are what the grouping uses (not a fresh encoding): planted vectors
    that pair unrelated answers decide the themes."""
    import numpy as np

    from werkconferentie.live import embeddings
    from werkconferentie.live.models import AnswerEmbedding
    from werkconferentie.live.similarity import default_finder

    if not default_finder().encoder_available:
        pytest.skip("no sentence encoder installed")
    texts = [
        "Kortere wachtlijsten in de jeugdzorg",
        "Gratis zwemles voor elk kind",
        "Een kinderburgemeester kiezen",
        "Meer speeltuinen in de wijk",
    ]
    answers = [answer_on(workshop, text) for text in texts]
    embeddings.answer_embeddings([(a.pk, a.text) for a in answers])  # kept, as the board keeps them
    assert AnswerEmbedding.objects.filter(answer__in=answers).count() == 4
    for answer, axis in zip(answers, (0, 0, 1, 1), strict=True):
        planted = np.zeros(384, dtype=np.float32)
        planted[axis] = 1.0
        AnswerEmbedding.objects.filter(answer=answer).update(vector=planted.tobytes())
    proposed = themes.propose_themes(roden, organiser)
    assert sorted(sorted(a.text for a in t.answers.all()) for t in proposed) == sorted(
        [sorted(texts[:2]), sorted(texts[2:])]
    )


def test_proposing_again_keeps_accepted_themes(roden, workshop, answer_on, organiser):
    a = answer_on(workshop, "Kortere wachtlijsten in de jeugdzorg")
    b = answer_on(workshop, "Geen wachttijden meer voor jeugdhulp")
    c = answer_on(workshop, "Meer speeltuinen in de wijk")
    d = answer_on(workshop, "Veilige speelplekken dichtbij huis")
    mine = themes.create_theme(roden, "Mijn thema", [a.pk, c.pk], organiser)
    themes.accept(mine, organiser)
    other = themes.create_theme(roden, "Niet geaccepteerd", [b.pk])
    themes.propose_themes(roden, organiser)
    assert not type(other).objects.filter(pk=other.pk).exists()
    assert sorted(themes.theme_answer_ids(mine)) == sorted([a.pk, c.pk])
    assert ThemeAnswer.objects.filter(answer__in=[a, c], theme=mine).count() == 2
    assert not ThemeAnswer.objects.filter(answer__in=[b, d], theme=mine).exists()


def test_ensure_proposed_only_once(roden, workshop, answer_on):
    answer_on(workshop, "Kortere wachtlijsten in de jeugdzorg")
    answer_on(workshop, "Geen wachttijden meer voor jeugdhulp")
    assert themes.ensure_proposed(roden) is True
    for theme in themes.themes_of(roden):
        themes.delete_theme(theme)
    assert themes.ensure_proposed(roden) is False  # the organiser removed them: not proposed behind her back


def test_average_linkage_matches_the_textbook_definition():
    """The NN-chain result equals repeatedly merging the two clusters with the highest average similarity."""
    import numpy as np

    from werkconferentie.outcomes.grouping import average_linkage

    def naive(sim, threshold):
        clusters = [[i] for i in range(len(sim))]
        while len(clusters) > 1:
            score, i, j = max(
                (float(np.mean([sim[a, b] for a in ci for b in cj])), i, j)
                for i, ci in enumerate(clusters)
                for j, cj in enumerate(clusters)
                if i < j
            )
            if score < threshold:
                break
            clusters[i] += clusters.pop(j)
        return sorted(sorted(c) for c in clusters)

    rng = np.random.default_rng(7)
    for _ in range(20):
        points = rng.normal(size=(18, 4))
        points /= np.linalg.norm(points, axis=1, keepdims=True)
        sim = points @ points.T
        threshold = float(rng.uniform(-0.2, 0.6))
        assert sorted(sorted(c) for c in average_linkage(sim.copy(), threshold)) == naive(sim, threshold)


def test_without_the_encoder_answers_are_grouped_by_policy_area():
    from werkconferentie.live.similarity import DuplicateFinder
    from werkconferentie.outcomes.grouping import group_by_meaning

    texts = ["Kortere wachtlijsten jeugdzorg", "Meer speeltuinen", "Jeugdhulp sneller", "Iets heel anders"]
    assert group_by_meaning(texts, finder=DuplicateFinder(None)) == [[0, 2], [1], [3]]
