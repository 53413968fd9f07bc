"""The first privacy statement, so that a new installation can take registrations at once."""

import datetime

from django.db import migrations

TEXT_NL = """Wie zich aanmeldt voor een werkconferentie, geeft ons een paar persoonsgegevens. Hier leest u welke, waarom, hoe lang we ze bewaren en wat uw rechten zijn.

**Welke gegevens?** Uw naam, e-mailadres, rol (bijvoorbeeld raadslid), uw gemeente of organisatie, uw keuze van workshops en, als u die opgeeft, wensen over eten of toegankelijkheid.

**Waarom?** Om uw plaats te regelen, u in te delen in workshops, u te mailen over de conferentie en om te tellen wie er komt, per rol en per gemeente. We gebruiken de gegevens voor niets anders en geven ze aan niemand anders.

**Hoe lang?** Tot de conferentie en de afspraken die gemeenten daar maken zijn afgerond. Daarna wissen we uw gegevens; alleen tellingen zonder namen blijven. De organisator stelt in na hoeveel dagen na de conferentie dat gebeurt.

**Uw rechten.** Met de persoonlijke link in uw bevestigingsmail kunt u uw gegevens inzien, downloaden, wijzigen en uw aanmelding intrekken. U kunt de organisator ook vragen al uw gegevens te wissen. Hebt u een klacht, dan kunt u die indienen bij de Autoriteit Persoonsgegevens.

**Kinderen en jongeren** die meedoen aan het rondetafelgesprek geven geen persoonsgegevens."""

TEXT_EN = """When you register for a work conference, you give us some personal data. Here you can read which, why, how long we keep it and what your rights are.

**What data?** Your name, e-mail address, role (for example council member), your municipality or organisation, your choice of workshops and, if you give them, your dietary or accessibility needs.

**Why?** To arrange your seat, to assign you to workshops, to e-mail you about the conference and to count who is coming, by role and by municipality. We use the data for nothing else and give it to no one else.

**How long?** Until the conference and the commitments municipalities make there are completed. Then we erase your data; only counts without names remain. The organiser sets how many days after the conference this happens.

**Your rights.** With the personal link in your confirmation e-mail you can view, download and change your data and withdraw your registration. You can also ask the organiser to erase all your data. If you have a complaint, you can submit it to the Dutch Data Protection Authority (Autoriteit Persoonsgegevens).

**Children and young people** who take part in the round-table give no personal data."""


def create(apps, schema_editor):
    PrivacyStatement = apps.get_model("registration", "PrivacyStatement")
    PrivacyStatement.objects.get_or_create(
        version=1,
        defaults={"effective_from": datetime.date(2026, 11, 28), "text_nl": TEXT_NL, "text_en": TEXT_EN},
    )


class Migration(migrations.Migration):
    dependencies = [("registration", "0001_initial")]
    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
