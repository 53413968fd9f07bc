"""Sign-ups for the assignment tests, through the real registration rules."""

from werkconferentie.reference.models import Municipality
from werkconferentie.registration import signup
from werkconferentie.registration.enums import Role

SLUGS = ["betekenisvolle-participatie", "kinderen-en-omgeving", "diversiteit"]


def register(event, n, ranking=None, *, role=Role.COUNCIL_MEMBER, municipality="GM1730", language="nl"):
    """Person n signs up; by default the three Roden workshops, rotated by n, are her ranking."""
    workshops = {w.slug: w for w in event.workshops.all()}
    ranking = ranking if ranking is not None else SLUGS[n % 3 :] + SLUGS[: n % 3]
    return signup.register(
        event,
        signup.SignupData(
            name=f"Deelnemer {n}",
            email=f"d{n}@example.org",
            role=role,
            municipality=Municipality.objects.get(pk=municipality),
            preferences=[workshops[s] for s in ranking],
            language=language,
        ),
    ).registration
