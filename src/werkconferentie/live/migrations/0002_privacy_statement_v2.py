"""Privacy statement version 2: version 1 plus what the live boards process (answers, votes, a cookie) and how
children's input is scrubbed. Registrations made before keep their consent to version 1."""

import datetime
import importlib

from django.db import migrations

V1 = importlib.import_module("werkconferentie.registration.migrations.0002_privacy_statement_v1")

LIVE_NL = """**Live borden op de dag.** In de workshops kunt u op uw telefoon antwoorden geven op de centrale vraag en stemmen. Een antwoord ziet iedereen in de zaal, met de rol en gemeente die u erbij invult (dat hoeft niet). Komt u via uw persoonlijke link, dan horen uw antwoorden en stemmen bij uw aanmelding en staan ze in de download van uw gegevens. Anders horen ze bij een willekeurige code in een cookie van uw browser (`wc_live`, 60 dagen), zodat u één keer per antwoord stemt; die cookie zegt niets over wie u bent. Wist u uw gegevens, dan blijven antwoorden en stemmen staan, zonder verband met u.

**Kinderen en jongeren** die meedoen aan het rondetafelgesprek geven geen persoonsgegevens. Typen ze toch een naam, adres, telefoonnummer of iets dergelijks, dan halen we dat weg voordat we hun idee bewaren. Een volwassene leest elk idee voordat iemand anders het ziet."""

LIVE_EN = """**Live boards on the day.** In the workshops you can answer the central question and vote on your phone. Everyone in the room sees an answer, with the role and municipality you add (you need not). If you come through your personal link, your answers and votes belong to your registration and are in the download of your data. Otherwise they belong to a random code in a cookie of your browser (`wc_live`, 60 days), so that you vote once per answer; the cookie says nothing about who you are. If you erase your data, answers and votes stay, without any link to you.

**Children and young people** who take part in the round-table give no personal data. If they still type a name, address, phone number or the like, we remove it before we store their idea. A grown-up reads every idea before anyone else sees it."""


def _without_children(text: str) -> str:
    return text.rsplit("\n\n", 1)[0]  # version 1 ends with its paragraph about children


TEXT_NL = _without_children(V1.TEXT_NL) + "\n\n" + LIVE_NL
TEXT_EN = _without_children(V1.TEXT_EN) + "\n\n" + LIVE_EN


def create(apps, schema_editor):
    PrivacyStatement = apps.get_model("registration", "PrivacyStatement")
    PrivacyStatement.objects.get_or_create(
        version=2,
        defaults={"effective_from": datetime.date(2026, 11, 29), "text_nl": TEXT_NL, "text_en": TEXT_EN},
    )


class Migration(migrations.Migration):
    dependencies = [("live", "0001_initial"), ("registration", "0002_privacy_statement_v1")]
    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
