"""The Opbrengst page: who may open it, and every form on it (without script, as a keyboard user posts them)."""

import pytest
from django.test import Client
from django.urls import reverse

from registration.factories import RegistrationFactory, UserFactory
from werkconferentie.live import access
from werkconferentie.live.enums import BoardKind
from werkconferentie.outcomes import themes
from werkconferentie.outcomes.models import OutcomeChange, OutcomePoint, Theme, ThemeAnswer
from werkconferentie.registration import links

pytestmark = pytest.mark.django_db


@pytest.fixture
def workshop(boards):
    return next(b for b in boards if b.kind == BoardKind.WORKSHOP)


@pytest.fixture
def answers(workshop, answer_on):
    return [
        answer_on(workshop, "Kortere wachtlijsten in de jeugdzorg", votes=3, role="wethouder"),
        answer_on(workshop, "Geen wachttijden meer voor jeugdhulp", votes=1, role="raadslid"),
        answer_on(workshop, "Meer speeltuinen in de wijk", votes=2),
        answer_on(workshop, "Veilige speelplekken dichtbij huis"),
    ]


@pytest.fixture
def organiser_client(organiser):
    client = Client()
    client.force_login(organiser)
    return client


def page_url(event):
    return reverse("outcomes_admin:page", kwargs={"slug": event.slug})


def action_url(event):
    return reverse("outcomes_admin:action", kwargs={"slug": event.slug})


def clients(roden, workshop, organiser, other_event):
    """(who, client) for every kind of visitor."""
    anonymous = Client()
    participant = Client()  # a registered participant, through the personal link: no account
    zoe = RegistrationFactory(event=roden, name="Zoë Jansen")
    participant.get(reverse("live:from_personal_link", args=[links.personal_token(zoe), workshop.code]))
    host = Client()
    host.get(access.host_url(workshop, absolute=False))
    staff = Client()
    staff.force_login(UserFactory(username="medewerker", organiser=False))
    other = Client()
    other.force_login(UserFactory(username="andere", organiser_of=[other_event]))
    mine = Client()
    mine.force_login(organiser)
    return [
        ("anonymous", anonymous),
        ("participant", participant),
        ("host", host),
        ("plain staff", staff),
        ("organiser of another event", other),
        ("organiser", mine),
    ]


@pytest.mark.parametrize("method", ["get", "post"])
def test_only_organisers_of_the_event_get_in(roden, workshop, answers, organiser, other_event, method):
    url = page_url(roden) if method == "get" else action_url(roden)
    data = {"action": "propose"}
    for who, client in clients(roden, workshop, organiser, other_event):
        response = client.get(url) if method == "get" else client.post(url, data)
        if who in ("anonymous", "participant", "host"):
            assert response.status_code == 302 and response["Location"].startswith(reverse("admin:login")), who
        elif who == "organiser":
            assert response.status_code == (200 if method == "get" else 302), who
        else:
            assert response.status_code == 404, who
    # Nobody but the organiser changed anything: one proposal on her first visit (get) or her post.
    assert OutcomeChange.objects.filter(action="propose").count() == 1
    assert set(OutcomeChange.objects.values_list("user__username", flat=True)) == {"organisator"}


def test_first_visit_proposes_themes_and_shows_every_public_answer(roden, answers, organiser_client):
    response = organiser_client.get(page_url(roden))
    assert response.status_code == 200
    html = response.content.decode()
    for answer in answers:
        assert answer.text in html
    assert Theme.objects.filter(event=roden).count() >= 1
    assert "Wethouder" in html  # the role, in Dutch
    assert OutcomeChange.objects.filter(action="propose").count() == 1
    organiser_client.get(page_url(roden))
    assert OutcomeChange.objects.filter(action="propose").count() == 1


def test_the_page_in_english(roden, answers, organiser_client):
    response = organiser_client.get(page_url(roden), headers={"accept-language": "en"})
    organiser_client.cookies["django_language"] = "en"
    response = organiser_client.get(page_url(roden))
    assert "Outcome points" in response.content.decode()


def test_forms_rename_accept_move_split_join(roden, answers, organiser_client):
    a, b, c, d = answers
    first = themes.create_theme(roden, "Eerste", [a.pk, b.pk, c.pk])
    second = themes.create_theme(roden, "Tweede", [d.pk])
    post = lambda **data: organiser_client.post(action_url(roden), data)  # noqa: E731
    assert post(action="rename", theme=first.pk, title="Wachtlijsten").status_code == 302
    post(action="accept", theme=first.pk)
    post(action="move", theme=first.pk, answer=[c.pk], target=second.pk)
    assert ThemeAnswer.objects.get(answer=c).theme == second
    response = post(action="split", theme=first.pk, answer=[b.pk], new_title="Jeugdhulp")
    new = Theme.objects.get(title="Jeugdhulp")
    assert response["Location"].endswith(f"#theme-{new.pk}")
    post(action="join", into=second.pk, other=new.pk)
    assert sorted(themes.theme_answer_ids(second)) == sorted([b.pk, c.pk, d.pk])
    post(action="move", answer=[d.pk], target="")
    assert not ThemeAnswer.objects.filter(answer=d).exists()
    post(action="split", answer=[d.pk], new_title="Los")  # from outside the themes: a new theme
    assert themes.theme_answer_ids(Theme.objects.get(title="Los")) == [d.pk]
    first.refresh_from_db()
    assert first.title == "Wachtlijsten" and first.accepted


@pytest.mark.parametrize(
    "data",
    [
        {"action": "rename", "theme": "x", "title": "Nieuw"},
        {"action": "rename", "theme": "999999", "title": "Nieuw"},
        {"action": "rename", "title": "   "},
        {"action": "move", "answer": ["abc"], "target": ""},
        {"action": "move", "answer": [], "target": ""},
        {"action": "split", "answer": ["1"], "new_title": ""},
        {"action": "join", "into": "1"},
        {"action": "save-point", "point": "x"},
        {"action": "new-point", "new-number": "1", "new-title_nl": "", "new-crc_articles": "drie"},
        {"action": "delete-point", "point": "123456"},
    ],
)
def test_bad_input_gets_a_message_not_an_error(roden, answers, organiser_client, data):
    response = organiser_client.post(action_url(roden), data, follow=True)
    assert response.status_code == 200
    assert "error" in [m.level_tag for m in response.context["messages"]]


def test_an_unknown_action_is_not_found(roden, organiser_client):
    assert organiser_client.post(action_url(roden), {"action": "explode"}).status_code == 404


def test_points_from_a_theme_edited_and_removed(roden, answers, organiser_client):
    a, b, *_rest = answers
    theme = themes.create_theme(roden, "Wachtlijsten jeugdzorg", [a.pk, b.pk])
    organiser_client.post(action_url(roden), {"action": "make-point", "theme": theme.pk})
    point = OutcomePoint.objects.get()
    assert point.title_nl == "Wachtlijsten jeugdzorg" and point.answers.count() == 2 and point.policy_areas
    prefix = f"point-{point.pk}-"
    data = {
        "action": "save-point",
        "point": point.pk,
        prefix + "number": "1",
        prefix + "title_nl": "Geen wachtlijsten",
        prefix + "title_en": "No waiting lists",
        prefix + "is_request": "on",
        prefix + "request_nl": "De werkconferentie vraagt de gemeenteraad de wachtlijsten weg te werken.",
        prefix + "crc_articles": "3, 24",
        prefix + "sdgs": "3",
        prefix + "policy_areas": ["jeugdhulp", "gezondheid"],
    }
    organiser_client.post(action_url(roden), data)
    point.refresh_from_db()
    assert (
        point.is_request and point.title_en == "No waiting lists" and point.policy_areas == ["jeugdhulp", "gezondheid"]
    )
    assert sorted(point.crc_articles.values_list("number", flat=True)) == [3, 24]
    page = organiser_client.get(page_url(roden)).content.decode()
    assert "De werkconferentie vraagt de gemeenteraad de wachtlijsten weg te werken." in page
    organiser_client.post(
        action_url(roden), {"action": "new-point", "new-number": "1", "new-title_nl": "Kinderraad in elke gemeente"}
    )
    assert [p.title_nl for p in OutcomePoint.objects.order_by("number")] == [
        "Kinderraad in elke gemeente",
        "Geen wachtlijsten",
    ]
    organiser_client.post(action_url(roden), {"action": "delete-point", "point": point.pk})
    assert OutcomePoint.objects.count() == 1
    history = organiser_client.get(page_url(roden)).context["changes"]
    assert [c.action for c in history[:3]] == ["delete", "create", "update"]


def test_the_page_makes_a_fixed_number_of_queries(
    roden, boards, answer_on, organiser_client, django_assert_max_num_queries
):
    workshop = [b for b in boards if b.kind == BoardKind.WORKSHOP]
    for n in range(60):
        answer_on(workshop[n % len(workshop)], f"Antwoord nummer {n} over speeltuinen en wachtlijsten", votes=n % 3)
    organiser_client.get(page_url(roden))  # proposes
    OutcomePoint.objects.create(event=roden, number=1, title_nl="Een")
    with django_assert_max_num_queries(40):
        organiser_client.get(page_url(roden))


def test_the_day_page_and_the_event_form_link_to_it(roden, organiser_client):
    assert page_url(roden) in organiser_client.get(reverse("checkin:overview", args=[roden.slug])).content.decode()
    change = reverse("admin:events_event_change", args=[roden.pk])
    assert page_url(roden) in organiser_client.get(change).content.decode()


def test_a_change_in_the_admin_is_kept_in_the_history(roden, organiser_client, organiser):
    from werkconferentie.outcomes import report

    settings = report.report_of(roden)
    url = reverse("admin:outcomes_outcomereport_change", args=[settings.pk])
    form = organiser_client.get(url).context["adminform"].form
    data = {name: value if value is not None else "" for name, value in form.initial.items()}
    data.update({"event": roden.pk, "signatory_name": "J. de Vries", "letter_date": ""})
    response = organiser_client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else ""
    change = OutcomeChange.objects.get(object_type="report")
    assert change.user == organiser and change.changes["signatory_name"] == ["", "J. de Vries"]
