"""The assignment page in the back office: who may see it, running, the figures, moves, pins and publishing."""

import re

import pytest
from django.urls import reverse

from registration.factories import UserFactory
from werkconferentie.assignment import runs
from werkconferentie.assignment.models import AssignmentRun, Pin
from werkconferentie.events.models import WorkshopSession
from werkconferentie.outbox.models import OutboxMessage
from werkconferentie.reference.models import Municipality
from werkconferentie.registration import signup
from werkconferentie.registration.enums import Role

pytestmark = pytest.mark.django_db

SLUGS = ["betekenisvolle-participatie", "kinderen-en-omgeving", "diversiteit"]
TOWNS = ["GM1730", "GM0106", "GM0353"]


@pytest.fixture(autouse=True)
def in_english(client):
    """The texts below are the English ones (the Dutch come from the catalogue)."""
    client.cookies["django_language"] = "en"


def register(event, n, ranking):
    workshops = {w.slug: w for w in event.workshops.all()}
    return signup.register(
        event,
        signup.SignupData(
            name=f"Deelnemer {n:02d}",
            email=f"d{n}@example.org",
            role=[Role.COUNCIL_MEMBER, Role.ALDERMAN, Role.POLICY_MAKER][n % 3],
            municipality=Municipality.objects.get(pk=TOWNS[n % 2]),
            preferences=[workshops[s] for s in ranking],
        ),
    ).registration


@pytest.fixture
def people(open_event):
    return [register(open_event, n, SLUGS[n % 3 :] + SLUGS[: n % 3]) for n in range(60)]


@pytest.fixture
def organiser(open_event):
    return UserFactory(username="organisator", organiser_of=[open_event])


@pytest.fixture
def page_url(open_event):
    return reverse("admin:assignment_assignmentrun_event", args=[open_event.slug])


@pytest.fixture
def people_url(open_event):
    return reverse("admin:assignment_assignmentrun_people", args=[open_event.slug])


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


def test_only_the_events_organisers_may_run(client, open_event, people, organiser, page_url):
    client.force_login(UserFactory(username="ander", organiser_of=[]))
    assert client.get(page_url).status_code == 404
    assert client.post(page_url, {"action": "run"}).status_code == 404
    client.force_login(UserFactory(username="medewerker", organiser=False))
    assert client.get(page_url).status_code == 403
    assert client.post(page_url, {"action": "run"}).status_code == 403
    client.logout()
    response = client.post(page_url, {"action": "run"})
    assert response.status_code == 302 and response["Location"].startswith(reverse("admin:login"))
    assert not AssignmentRun.objects.exists()
    client.force_login(UserFactory(username="beheerder", superuser=True))
    response = client.get(reverse("admin:assignment_assignmentrun_changelist"))
    assert response.status_code == 200


def test_the_list_of_runs_links_to_the_page(client, open_event, people, organiser, page_url):
    runs.run_engine(open_event)
    client.force_login(organiser)
    response = client.get(reverse("admin:assignment_assignmentrun_changelist"))
    assert f'href="{page_url}?run=1"' in response.content.decode()


def test_run_shows_the_figures(client, open_event, people, organiser, page_url, django_assert_max_num_queries):
    client.force_login(organiser)
    response = client.get(page_url)
    assert "has not run" in response.content.decode()
    response = client.post(page_url, {"action": "run"}, follow=True)
    run = AssignmentRun.objects.get(event=open_event)
    assert response.redirect_chain[-1][0].endswith(f"?run={run.number}")
    assert "Run 1 is ready" in messages_of(response)[-1]
    body = response.content.decode()
    assert "Everyone is placed." in body and "This is the first run of this event." in body
    context = response.context
    assert context["placed"] == 60 and context["got_first"] == 60 and context["first_share"] == 100
    assert sum(bar["count"] for bar in context["histogram"]) == 120
    sessions = context["sessions"]
    assert len(sessions) == 6 and sum(row["used"] for row in sessions) == 120
    assert all(row["town"] in ("Tynaarlo", "Assen") and row["town_share"] >= 50 for row in sessions)
    labels = {str(role.label) for role in (Role.COUNCIL_MEMBER, Role.ALDERMAN, Role.POLICY_MAKER)}
    assert all({label for label, _n in row["roles"]} <= labels for row in sessions)
    # A second run is compared with the first.
    client.post(page_url, {"action": "run"})
    with django_assert_max_num_queries(25):
        response = client.get(page_url)
    assert response.context["run"].number == 2
    assert response.context["comparison"]["previous"].number == 1
    assert response.context["comparison"]["differ"] == 0
    assert "0 people have a different programme" in response.content.decode()


def test_the_page_says_what_the_points_mean_and_how_many_moved(client, open_event, people, organiser, page_url):
    client.force_login(organiser)
    client.post(page_url, {"action": "run"})
    body = client.get(page_url).content.decode()
    assert "Objective" not in body
    assert "Points for choices not met" in body and "a second choice 1" in body
    assert "Moved since" not in body  # the first run has nothing to compare with
    client.post(page_url, {"action": "run"})
    body = client.get(page_url).content.decode()
    assert re.search(r"<dt>Moved since run 1</dt><dd>0</dd>", body)
    assert "keeps people where run 1 put them: 0 people have another session now." in body
    client.cookies["django_language"] = "nl"
    body = client.get(page_url).content.decode()
    assert "Doelwaarde" not in body and "Punten voor gemiste keuzes" in body


def test_the_people_list_is_paged_and_searchable(
    client, open_event, people, organiser, people_url, django_assert_max_num_queries
):
    runs.run_engine(open_event)
    client.force_login(organiser)
    with django_assert_max_num_queries(20):
        response = client.get(people_url)
    assert response.status_code == 200 and len(response.context["rows"]) == 60
    assert all(cell["placement"] for row in response.context["rows"] for cell in row["cells"])
    response = client.get(people_url, {"q": "Deelnemer 07"})
    assert [row["registration"].name for row in response.context["rows"]] == ["Deelnemer 07"]
    response = client.get(people_url, {"q": "Assen"})
    assert len(response.context["rows"]) == 30
    with django_assert_max_num_queries(25):
        response = client.get(people_url, {"person": people[0].pk})
    assert response.context["person"]["registration"] == people[0]
    assert 'name="session"' in response.content.decode()


def sessions_of(run, person):
    return {p.round.key: p.session for p in run.placements.filter(registration=person).select_related("round")}


def test_moves_refused_warned_and_confirmed(client, open_event, people, organiser, people_url):
    run = runs.run_engine(open_event)
    client.force_login(organiser)
    person = people[0]
    now = sessions_of(run, person)
    # The workshop she has in round 2, in round 1: refused with a clear message, nothing changes.
    twice = WorkshopSession.objects.get(round__key="ronde-1", workshop=now["ronde-2"].workshop)
    response = client.post(
        people_url,
        {"action": "move", "run": 1, "registration": person.pk, "session": twice.pk, "pin": "1"},
        follow=True,
    )
    assert "nobody gets the same workshop twice" in messages_of(response)[-1]
    assert sessions_of(run, person) == now and not Pin.objects.exists()
    # A full session: a warning and a question, nothing moved until confirmed.
    target = (
        WorkshopSession.objects.filter(round__key="ronde-1", workshop__event=open_event)
        .exclude(workshop__in=[now["ronde-1"].workshop, now["ronde-2"].workshop])
        .get()
    )
    target.capacity = runs.session_fill(run)[target.pk]
    target.save()
    data = {"action": "move", "run": 1, "registration": person.pk, "session": target.pk, "pin": "1"}
    response = client.post(people_url, data)
    assert response.status_code == 200
    assert "This session is full" in response.content.decode() and "Yes, move anyway" in response.content.decode()
    assert sessions_of(run, person) == now
    response = client.post(people_url, {**data, "confirm": "1"}, follow=True)
    assert "is now in" in messages_of(response)[-1]
    assert sessions_of(run, person)["ronde-1"] == target
    assert Pin.objects.get(registration=person).session == target
    # The list shows the rank she gave the workshop she has now, not the one the engine gave her.
    response = client.get(people_url, {"q": person.name})
    (row,) = response.context["rows"]
    rank = person.preferences.filter(workshop=target.workshop).values_list("rank", flat=True).first()
    assert row["cells"][0]["placement"].session == target and row["cells"][0]["rank"] == rank
    assert row["cells"][0]["pinned"]
    # Unpin.
    response = client.post(
        people_url, {"action": "unpin", "run": 1, "registration": person.pk, "round": target.round_id}, follow=True
    )
    assert "The pin is removed" in messages_of(response)[-1] and not Pin.objects.exists()


def test_forged_forms_are_not_found(client, open_event, people, organiser, people_url):
    runs.run_engine(open_event)
    client.force_login(organiser)
    for data in (
        {"action": "move", "run": 1, "registration": "x", "session": "1"},
        {"action": "move", "run": 1, "registration": people[0].pk, "session": "'"},
        {"action": "unpin", "run": 1, "registration": people[0].pk, "round": "x"},
        {"action": "move", "run": "zz", "registration": people[0].pk, "session": "1"},
    ):
        assert client.post(people_url, data).status_code == 404, data


def test_another_organiser_cannot_move(client, open_event, people, people_url):
    run = runs.run_engine(open_event)
    client.force_login(UserFactory(username="ander", organiser_of=[]))
    session = WorkshopSession.objects.filter(workshop__event=open_event).first()
    response = client.post(
        people_url, {"action": "move", "run": 1, "registration": people[0].pk, "session": session.pk}
    )
    assert response.status_code == 404
    assert not run.placements.filter(source="manual").exists()


@pytest.mark.django_db(transaction=True)
def test_publish_mails_and_then_moves_go_into_a_new_run(client, open_event, people, organiser, page_url, people_url):
    OutboxMessage.objects.all().delete()
    client.force_login(organiser)
    client.post(page_url, {"action": "run"})
    response = client.post(page_url, {"action": "publish", "run": 1, "confirm": 1}, follow=True)
    assert re.search(r"Run 1 is published\. 60 participants get an e-mail", messages_of(response)[-1])
    assert OutboxMessage.objects.count() == 60
    assert AssignmentRun.objects.get(number=1).is_published
    assert "Publish</button>" not in response.content.decode()
    person = people[1]
    session = WorkshopSession.objects.filter(workshop__event=open_event).first()
    response = client.post(
        people_url, {"action": "move", "run": 1, "registration": person.pk, "session": session.pk}, follow=True
    )
    assert "This run is published" in messages_of(response)[-1]
    # A new run, published: nobody's programme changed, so nobody is mailed again.
    client.post(page_url, {"action": "run"})
    response = client.post(page_url, {"action": "publish", "run": 2, "confirm": 1}, follow=True)
    assert "0 participants get an e-mail" in messages_of(response)[-1]
    assert OutboxMessage.objects.count() == 60


def test_links_from_the_dashboard_and_the_event(client, open_event, organiser, page_url):
    client.force_login(organiser)
    dashboard = client.get(reverse("admin:registration_registration_dashboard", args=[open_event.slug]))
    assert page_url in dashboard.content.decode()
    change = client.get(reverse("admin:events_event_change", args=[open_event.pk]))
    assert page_url in change.content.decode()


def test_publish_first_shows_what_would_be_sent_and_asks(client, open_event, people, organiser, page_url):
    """Issue 13, point 5: the count, an example mail as it would go, who gets one; nothing queued until confirmed."""
    OutboxMessage.objects.all().delete()
    client.force_login(organiser)
    client.post(page_url, {"action": "run"})
    response = client.post(page_url, {"action": "publish", "run": 1})
    page = response.content.decode()
    assert response.status_code == 200 and "sends 60 e-mails" in page
    assert "Yes, publish and send 60 e-mails" in page
    assert "Deelnemer 00" in page and "&lt;d0@example.org&gt;" in page  # the example goes to the first by name
    assert "Beste Deelnemer 00" in page  # rendered in her language (Dutch)
    assert "roden-2022-mijn-programma.ics" in page
    assert not OutboxMessage.objects.exists() and not AssignmentRun.objects.get(number=1).is_published
    # A second run that changes two people's programmes would mail only those two.
    client.post(page_url, {"action": "publish", "run": 1, "confirm": 1})
    run = runs.run_engine(open_event)
    moved = run.placements.filter(registration__in=people[:2]).order_by("registration__name")
    for placement in moved:
        other = WorkshopSession.objects.filter(round=placement.round_id).exclude(pk=placement.session_id)
        hers = run.placements.filter(registration=placement.registration_id).values("workshop")
        other = other.exclude(workshop__in=hers)
        placement.session = other.first()
        placement.workshop_id = placement.session.workshop_id
        placement.save()
    page = client.post(page_url, {"action": "publish", "run": run.number}).content.decode()
    assert "sends 2 e-mails" in page and "0 get their programme for the first time" in page


@pytest.mark.parametrize("role", ["anonymous", "participant", "host", "other_organiser", "organiser"])
def test_only_the_organiser_sees_what_publishing_would_send(open_event, people, role):
    from registration.roles import assert_only_the_organiser, role_client

    runs.run_engine(open_event)
    OutboxMessage.objects.all().delete()
    client = role_client(role, open_event, people[0])
    url = reverse("admin:assignment_assignmentrun_event", args=[open_event.slug])
    assert_only_the_organiser(role, client.post(url, {"action": "publish", "run": 1}))
    assert not OutboxMessage.objects.exists() and not AssignmentRun.objects.get(number=1).is_published
