"""Privacy statement version 3: everything AVG article 13 asks (controller and contact per event, legal basis,
recipients, retention, rights), what the personal page lets one change, and no literal code in the text.
Registrations made before keep their consent to the version they agreed to."""

import datetime

from django.db import migrations

TEXT_NL = """Wie zich aanmeldt voor een werkconferentie, geeft ons een paar persoonsgegevens. Hier leest u welke, waarom, op welke grond, wie ze ziet, hoe lang we ze bewaren en wat uw rechten zijn.

**Wie is verantwoordelijk?** De organisator van de conferentie waarvoor u zich aanmeldt. Wie dat is, hoe u die bereikt en hoe lang de gegevens blijven, staat bovenaan deze pagina bij de conferentie.

**Welke gegevens?** Uw naam, e-mailadres, rol (bijvoorbeeld raadslid), uw gemeente of organisatie, de taal van uw aanmelding, uw keuze van workshops en, als u die opgeeft, wensen over eten of toegankelijkheid.

**Waarom, en op welke grond?** Om uw plaats te regelen, u in te delen in workshops, u te mailen over de conferentie en om te tellen wie er komt, per rol en per gemeente. De grond is uw toestemming (artikel 6, lid 1, onder a van de AVG), die u geeft als u zich aanmeldt. Wensen over eten of toegankelijkheid kunnen iets zeggen over uw gezondheid of geloof. Die gebruiken we alleen met uw uitdrukkelijke toestemming (artikel 9, lid 2, onder a van de AVG) en alleen om de dag goed te regelen. U kunt uw toestemming altijd intrekken: meld u af, of vraag de organisator uw gegevens te wissen. Wat we daarvoor deden, blijft rechtmatig.

**Moet u deze gegevens geven?** Zonder naam, e-mailadres, rol en gemeente of organisatie kunnen we u niet aanmelden. Wensen en workshopkeuzes na de eerste zijn niet verplicht.

**Wie ziet de gegevens?** Alleen de organisatoren van deze conferentie. Op de dag staan uw naam en gemeente of organisatie op uw naamkaart en op de aanwezigheidslijst, en zien workshopleiders wie in hun workshop komt. Het bedrijf dat de website host en het bedrijf dat de mail verstuurt, verwerken de gegevens alleen voor ons. We geven uw gegevens aan niemand anders en niet aan landen buiten de Europese Economische Ruimte.

**Indeling in workshops.** Een computerprogramma deelt iedereen in volgens de keuzes. Dat is geen besluit met rechtsgevolgen: de organisator kan u verplaatsen en u kunt uw keuzes veranderen.

**Hoe lang?** Tot het aantal dagen na de conferentie dat bovenaan staat. Daarna wissen we uw gegevens; alleen tellingen zonder namen blijven.

**Uw rechten.** U mag uw gegevens inzien, laten verbeteren, laten wissen, het gebruik laten beperken, bezwaar maken en uw gegevens meenemen (artikel 15 tot en met 21 van de AVG). Met de persoonlijke link in uw bevestigingsmail doet u veel zelf: uw gegevens downloaden, uw naam, organisatie, wensen, taal en workshopkeuzes veranderen, en u afmelden. Wilt u uw e-mailadres, rol of gemeente veranderen, of alles laten wissen? Mail dan de contactpersoon bovenaan. Hebt u een klacht, dan kunt u die indienen bij de Autoriteit Persoonsgegevens.

**Live borden op de dag.** In de workshops kunt u op uw telefoon antwoorden geven op de centrale vraag en stemmen. Een antwoord ziet iedereen in de zaal, met de rol en gemeente die u erbij invult (dat hoeft niet). Komt u via uw persoonlijke link, dan horen uw antwoorden en stemmen bij uw aanmelding en staan ze in de download van uw gegevens. Anders horen ze bij een willekeurige code in een cookie van uw browser (de cookie heet wc_live en blijft 60 dagen), zodat u één keer per antwoord stemt. Die cookie zegt niets over wie u bent. Wist u uw gegevens, dan blijven antwoorden en stemmen staan, zonder verband met u.

**Kinderen en jongeren** die meedoen aan het rondetafelgesprek geven geen persoonsgegevens. Typen ze toch een naam, adres, telefoonnummer of iets dergelijks, dan halen we dat weg voordat we hun idee bewaren. Een volwassene leest elk idee voordat iemand anders het ziet."""

TEXT_EN = """When you register for a work conference, you give us some personal data. Here you can read which, why, on what legal basis, who sees it, how long we keep it and what your rights are.

**Who is responsible?** The organiser of the conference you register for (the controller). Who that is, how to reach them and how long the data is kept is shown at the top of this page with the conference.

**What data?** Your name, e-mail address, role (for example council member), your municipality or organisation, the language of your registration, your choice of workshops and, if you give them, your dietary or accessibility needs.

**Why, and on what basis?** To arrange your seat, to assign you to workshops, to e-mail you about the conference and to count who is coming, by role and by municipality. The legal basis is your consent (article 6(1)(a) of the GDPR), which you give when you register. Dietary or accessibility needs can say something about your health or religion. We use them only with your explicit consent (article 9(2)(a) of the GDPR) and only to arrange the day well. You can withdraw your consent at any time: cancel your registration, or ask the organiser to erase your data. What we did before remains lawful.

**Must you give this data?** Without your name, e-mail address, role and municipality or organisation we cannot register you. Needs, and workshop choices after the first, are optional.

**Who sees the data?** Only the organisers of this conference. On the day your name and municipality or organisation are on your name badge and the attendance list, and workshop hosts see who comes to their workshop. The company that hosts the website and the company that sends the mail process the data only on our behalf. We give your data to no one else and to no country outside the European Economic Area.

**Assignment to workshops.** A computer program assigns everyone according to their choices. This is not a decision with legal effects: the organiser can move you and you can change your choices.

**How long?** Until the number of days after the conference shown at the top. Then we erase your data; only counts without names remain.

**Your rights.** You may see your data, have it corrected or erased, have its use restricted, object, and take your data with you (articles 15 to 21 of the GDPR). With the personal link in your confirmation e-mail you do much yourself: download your data, change your name, organisation, needs, language and workshop choices, and cancel. To change your e-mail address, role or municipality, or to have everything erased, mail the contact at the top. If you have a complaint, you can submit it to the Dutch Data Protection Authority (Autoriteit Persoonsgegevens).

**Live boards on the day.** In the workshops you can answer the central question and vote on your phone. Everyone in the room sees an answer, with the role and municipality you add (you need not). If you come through your personal link, your answers and votes belong to your registration and are in the download of your data. Otherwise they belong to a random code in a cookie of your browser (the cookie is called wc_live and lasts 60 days), so that you vote once per answer. The cookie says nothing about who you are. If you erase your data, answers and votes stay, without any link to you.

**Children and young people** who take part in the round-table give no personal data. If they still type a name, address, phone number or the like, we remove it before we store their idea. A grown-up reads every idea before anyone else sees it."""


def create(apps, schema_editor):
    PrivacyStatement = apps.get_model("registration", "PrivacyStatement")
    PrivacyStatement.objects.get_or_create(
        version=3,
        defaults={"effective_from": datetime.date(2026, 12, 5), "text_nl": TEXT_NL, "text_en": TEXT_EN},
    )


class Migration(migrations.Migration):
    dependencies = [("live", "0002_privacy_statement_v2"), ("registration", "0003_dayb_mailing")]
    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
