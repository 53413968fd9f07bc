"""Privacy statement, next version: the latest version plus one paragraph on what happens with the answers after
the conference (the outcome report and the raadsadres). Registrations made before keep their consent to the
version they saw.

The new version is built on whichever version is the latest when this runs, so that another change of the
statement (another app's migration that this one is ordered after) keeps its text; run again, it adds nothing.
"""

import datetime

from django.db import migrations

OUTCOMES_NL = """**Wat er met de antwoorden gebeurt.** Na de conferentie verzamelt de organisator de antwoorden die op de borden te zien waren. Ze worden in thema's gegroepeerd en komen in het verslag van de opbrengst en in de brief aan de gemeenteraden (het raadsadres), die de griffies per e-mail krijgen. Daarin zetten we geen namen of e-mailadressen van deelnemers: bij een antwoord staan alleen de rol en de gemeente die erbij zijn ingevuld, en ideeën van kinderen staan er in hun eigen woorden, zoals een volwassene ze heeft goedgekeurd. Hoeveel mensen er uit een gemeente meededen, tellen we per rol. Het verslag wordt openbaar als de organisator het publiceert; de brief wordt een openbaar stuk van de gemeenteraad. Wist u uw gegevens, dan blijven de antwoorden in het verslag en de brief staan, zonder verband met u."""

OUTCOMES_EN = """**What happens with the answers.** After the conference the organiser collects the answers that were shown on the boards. They are grouped into themes and go into the outcome report and into the letter to the municipal councils (the raadsadres), which the griffies receive by e-mail. We put no names or e-mail addresses of participants in them: an answer shows only the role and municipality given with it, and children's ideas appear in their own words, as a grown-up approved them. How many people from a municipality took part is counted by role. The report becomes public when the organiser publishes it; the letter becomes a public council document. If you erase your data, the answers stay in the report and the letter, without any link to you."""

EFFECTIVE_FROM = datetime.date(2026, 12, 5)


def create(apps, schema_editor):
    PrivacyStatement = apps.get_model("registration", "PrivacyStatement")
    latest = PrivacyStatement.objects.order_by("-version").first()
    if latest is None or OUTCOMES_NL in latest.text_nl:
        return
    PrivacyStatement.objects.create(
        version=latest.version + 1,
        effective_from=max(EFFECTIVE_FROM, latest.effective_from),
        text_nl=latest.text_nl + "\n\n" + OUTCOMES_NL,
        text_en=(latest.text_en + "\n\n" + OUTCOMES_EN) if latest.text_en else "",
    )


class Migration(migrations.Migration):
    dependencies = [
        ("outcomes", "0002_sending_griffies_and_dispatches"),
        ("registration", "0002_privacy_statement_v1"),
        ("live", "0002_privacy_statement_v2"),
        # Its paragraph is added to the current statement: version 3 of registration comes first.
        ("registration", "0004_dayb_privacy_statement_v3"),
    ]
    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
