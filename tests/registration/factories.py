"""Factories for events, workshops, registrations and back-office users (factory_boy).

They write rows directly and so skip the rules of signup.py (capacity lock, waiting list, mails): use them to
set up a situation, and `signup.register` when the rules themselves are under test.

    event = EventFactory(capacity=2)
    workshops = WorkshopSessionFactory.create_batch(3, workshop__event=event)
    RegistrationFactory(event=event, name="Zoë", preferences=[w.workshop for w in workshops])
    organiser = UserFactory(organiser_of=[event])
"""

import datetime as dt
import functools

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.utils import timezone
from factory.django import DjangoModelFactory

from werkconferentie.core.roles import ensure_organiser_group
from werkconferentie.events.models import Event, Round, Workshop, WorkshopSession
from werkconferentie.reference.models import Municipality
from werkconferentie.registration.enums import Role, Status
from werkconferentie.registration.models import Preference, PrivacyStatement, Registration

PASSWORD = "een-lang-wachtwoord-1"


@functools.cache
def hashed_password() -> str:
    """PASSWORD hashed once per test process: hashing is slow on purpose, and every user gets the same one."""
    return make_password(PASSWORD)


class EventFactory(DjangoModelFactory):
    """An event a month from now, with its registration open."""

    class Meta:
        model = Event

    slug = factory.Sequence(lambda n: f"conferentie-{n}")
    title_nl = factory.Sequence(lambda n: f"Werkconferentie {n}")
    date = factory.LazyFunction(lambda: timezone.localdate() + dt.timedelta(days=30))
    start_time = dt.time(13, 0)
    end_time = dt.time(17, 0)
    venue_name = "Stadhuis"
    venue_city = "Assen"
    contact_email = "info@example.org"
    capacity = 10


class RoundFactory(DjangoModelFactory):
    class Meta:
        model = Round

    event = factory.SubFactory(EventFactory)
    number = factory.Sequence(lambda n: n + 1)
    key = factory.LazyAttribute(lambda round: f"ronde-{round.number}")
    title_nl = factory.LazyAttribute(lambda round: f"Ronde {round.number}")
    start_time = dt.time(14, 0)
    end_time = dt.time(15, 0)


class WorkshopFactory(DjangoModelFactory):
    class Meta:
        model = Workshop

    event = factory.SubFactory(EventFactory)
    number = factory.Sequence(lambda n: n + 1)
    slug = factory.LazyAttribute(lambda workshop: f"workshop-{workshop.number}")
    title_nl = factory.LazyAttribute(lambda workshop: f"Workshop {workshop.number}")


class WorkshopSessionFactory(DjangoModelFactory):
    """A session of a workshop in a round of the same event."""

    class Meta:
        model = WorkshopSession

    workshop = factory.SubFactory(WorkshopFactory)
    round = factory.SubFactory(RoundFactory, event=factory.SelfAttribute("..workshop.event"))
    room = "Zaal 1"
    capacity = 20


def municipality(code: str = "GM1730") -> Municipality:
    """A municipality of the bundled CBS list (GM1730 is Tynaarlo, in Drenthe)."""
    return Municipality.objects.get(pk=code)


class RegistrationFactory(DjangoModelFactory):
    """A confirmed council member from Tynaarlo; `preferences=[workshop, ...]` ranks workshops in that order."""

    class Meta:
        model = Registration
        skip_postgeneration_save = True

    event = factory.SubFactory(EventFactory)
    name = factory.Sequence(lambda n: f"Deelnemer {n}")
    email = factory.Sequence(lambda n: f"deelnemer{n}@example.org")
    role = Role.COUNCIL_MEMBER
    municipality = factory.LazyFunction(municipality)
    language = "nl"
    status = Status.CONFIRMED
    consent_statement = factory.LazyFunction(PrivacyStatement.current)
    consented_at = factory.LazyFunction(timezone.now)

    class Params:
        waitlisted = factory.Trait(status=Status.WAITLISTED)
        cancelled = factory.Trait(status=Status.CANCELLED, cancelled_at=factory.LazyFunction(timezone.now))
        organisation_only = factory.Trait(municipality=None, organisation="Jeugdzorg Ĳsselland")

    @factory.post_generation
    def preferences(registration, create, workshops, **kwargs):
        if create and workshops:
            Preference.objects.bulk_create(
                Preference(registration=registration, workshop=workshop, rank=rank)
                for rank, workshop in enumerate(workshops, start=1)
            )


class PreferenceFactory(DjangoModelFactory):
    class Meta:
        model = Preference

    registration = factory.SubFactory(RegistrationFactory)
    workshop = factory.SubFactory(WorkshopFactory, event=factory.SelfAttribute("..registration.event"))
    rank = factory.Sequence(lambda n: n + 1)


class UserFactory(DjangoModelFactory):
    """A staff account in the organisers' group; `organiser_of=[event]` makes it organise those events.

    `UserFactory(organiser=False)` is staff without the organisers' rights; `superuser=True` a superuser.
    """

    class Meta:
        model = get_user_model()
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"gebruiker{n}")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.org")
    password = factory.LazyFunction(hashed_password)
    is_staff = True

    class Params:
        superuser = factory.Trait(is_superuser=True)

    @factory.post_generation
    def organiser(user, create, extracted, **kwargs):
        if create and extracted is not False and not user.is_superuser:
            user.groups.add(ensure_organiser_group())

    @factory.post_generation
    def organiser_of(user, create, events, **kwargs):
        for event in events or ():
            event.organisers.add(user)
