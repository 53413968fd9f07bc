"""Keyword tag suggestions: municipal policy areas, UN Convention on the Rights of the Child articles and SDGs.

These are suggestions for a moderator or the room, not classifications: simple keyword rules are predictable and
explainable, which matters more here than recall. Keywords are matched against each word, its simplemma lemma
(Dutch and English) and, for the patterns written with "*", as prefix, suffix or infix, so Dutch compounds
("kinderarmoede", "speeltuintje", "jeugdzorgwachtlijst") and inflections ("gepest", "speelde") match too.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

import simplemma

# (key, Dutch name, English name), in display order.
POLICY_AREAS: list[tuple[str, str, str]] = [
    ("jeugdhulp", "Jeugdhulp", "Youth care"),
    ("onderwijs", "Onderwijs", "Education"),
    ("gezondheid", "Gezondheid", "Health"),
    ("armoede", "Armoede en bestaanszekerheid", "Poverty and income security"),
    ("wonen-en-leefomgeving", "Wonen en leefomgeving", "Housing and living environment"),
    ("spelen-en-openbare-ruimte", "Spelen en openbare ruimte", "Play and public space"),
    ("verkeer-en-vervoer", "Verkeer en vervoer", "Traffic and transport"),
    ("veiligheid", "Veiligheid", "Safety"),
    ("klimaat-en-natuur", "Klimaat en natuur", "Climate and nature"),
    ("sport-en-cultuur", "Sport en cultuur", "Sport and culture"),
    ("inclusie", "Inclusie en gelijke kansen", "Inclusion and equal opportunities"),
    ("participatie", "Participatie", "Participation"),
]
POLICY_AREA_KEYS = [key for key, _, _ in POLICY_AREAS]

@dataclass(frozen=True)
class Rule:
    """Keywords ("woord" exact word or lemma, "woord*" prefix, "*woord" suffix, "*woord*" anywhere in a word)."""

    area: str | None
    keywords: tuple[str, ...]
    crc: tuple[int, ...] = ()
    sdg: tuple[int, ...] = ()


def _kw(words: str) -> tuple[str, ...]:
    return tuple(words.split())


RULES: list[Rule] = [
    Rule(
        "jeugdhulp",
        _kw(
            "*jeugdzorg* *jeugdhulp* *wachtlijst* wachttijd* hulpverlen* *jeugdconsulent* wijkteam* *sociaal-team"
            " jeugdwerk* jongerenwerk* *jeugdcoach* ggz *jeugd-ggz* youth-care waiting-list* caseworker* therap*"
        ),
        crc=(3, 24, 39),
        sdg=(3,),
    ),
    Rule(
        "jeugdhulp",
        _kw("pleegzorg* pleeggezin* pleegouder* pleegkind* uithuisplaats* *jeugdbescherming* foster*"),
        crc=(20, 3),
        sdg=(16,),
    ),
    Rule(
        "onderwijs",
        _kw(
            "school school* *school *scholen *schooltje onderwijs* leraar leraren *lerares* *docent* juf meester"
            " les lessen klas klassen leren huiswerk *opleiding* mbo hbo vmbo havo vwo stage* schooluitval thuiszitter*"
            " *bijles* diploma* education teacher* class* homework learn* study studie* studeren"
        ),
        crc=(28, 29),
        sdg=(4,),
    ),
    Rule(
        "gezondheid",
        _kw(
            "gezond* *gezondheid* ongezond* mentaal mentale psychisch* depress* stress* *eenzaam* eenzaamheid"
            " angst* burn-out zelfmoord suïcid* *dokter* huisarts* ziek* ziekenhuis* *zorgverzeker* psycholoog*"
            " welzijn welbevinden slaap *voeding* overgewicht obesitas roken"
            " health* mental* anxiety lonel* doctor* sick* wellbeing well-being"
        ),
        crc=(24,),
        sdg=(3,),
    ),
    Rule("gezondheid", _kw("drugs* verslav* vapen vape* alcohol drug*"), crc=(33, 24), sdg=(3,)),
    Rule(
        "armoede",
        _kw(
            "*armoede* arm arme minima* *schuld schulden *schulden* *bijstand* uitkering* toeslag*"
            " geldzorg* *geldzorgen* bestaanszeker* *kindpakket* jeugdfonds* *stadspas* *meedoenregeling* inkomen*"
            " betaalbaar* duur dure gratis poverty poor debt* afford*"
        ),
        crc=(27, 26),
        sdg=(1,),
    ),
    Rule(
        "armoede",
        _kw("honger* ontbijt* *schoolontbijt* *voedselbank* hunger breakfast food-bank foodbank*"),
        crc=(27,),
        sdg=(2,),
    ),
    Rule("armoede", _kw("werk *bijbaan* *baantje* baan banen werkloos* job jobs"), crc=(27,), sdg=(8,)),
    Rule(
        "wonen-en-leefomgeving",
        _kw(
            "wonen woning* *woningen huis huizen *huurhuis* *huur *huren *starterswoning* *studentenhuis*"
            " buurt* *buurthuis* wijk wijken *leefomgeving* *leefbaar*"
            " rommel* *zwerfafval* afval vuil* geluid* overlast* housing house houses home neighbourhood*"
            " neighborhood* rent*"
        ),
        crc=(27,),
        sdg=(11,),
    ),
    Rule(
        "wonen-en-leefomgeving",
        _kw("dakloos* dakloz* thuisloos* thuisloz* *nachtopvang* homeless*"),
        crc=(27,),
        sdg=(1,),
    ),
    Rule(
        "spelen-en-openbare-ruimte",
        _kw(
            "spelen spel speel* *speeltuin* *speelplek* *speelplaats* *speelveld* *speeltoestel* *trapveld*"
            " *schommel* *glijbaan* *skatebaan* *skatepark* *pannakooi* *voetbalveld* *basketbalveld* *hangplek*"
            " *ontmoetingsplek* *jongerenplek* *chillplek* plein pleinen *schoolplein* park parken *bankje*"
            " openbare-ruimte buitenspelen play playground* skate* park parks hangout"
        ),
        crc=(31,),
        sdg=(11,),
    ),
    Rule(
        "verkeer-en-vervoer",
        _kw(
            "verkeer* *verkeersveilig* *zebrapad* *oversteek* *oversteekplaats* *fietspad* *fietsenstalling* fiets*"
            " *stoplicht* *drempel* *snelheid* auto auto's bus bussen *busje* *bushalte* ov ov-* trein* vervoer*"
            " *openbaar-vervoer* *stoep* traffic crossing* bike* bicycle* cycl* bus buses transport*"
        ),
        crc=(3,),
        sdg=(11,),
    ),
    Rule(
        "veiligheid",
        _kw(
            "veilig* *veiligheid* onveilig* pest* gepest *pesten *pesterij* geweld* *huiselijk* mishandel*"
            " misbruik* *kindermishandeling* *seksueel* grensoverschrijdend* *criminaliteit* crimineel* crimi*"
            " drugsdeal* *ondermijning* *messen* mes *steekpartij* politie* *wijkagent* boa* *verlichting*"
            " *camera* *uitbuiting* loverboy* safe* safety unsafe bully* bullied violence abuse* police"
        ),
        crc=(19,),
        sdg=(16,),
    ),
    Rule(
        "klimaat-en-natuur",
        _kw(
            "klimaat* *klimaat* duurzaam* *duurzaamheid* groen groene *groen *natuur* boom bomen *bomen *bos bossen"
            " *milieu* *vervuiling* plastic *zonnepaneel* *zonnepanelen* energie* *hittestress* *co2* dieren dier"
            " *dierenwelzijn* bloem* tuin tuinen *moestuin* *groentetuin* climate* green nature* tree* sustainab*"
            " environment* pollut*"
        ),
        crc=(24, 29),
        sdg=(13, 11, 15),
    ),
    Rule(
        "sport-en-cultuur",
        _kw(
            "sport* *sport* *sporten *sportveld* *sportclub* *sportvereniging* *zwembad* zwemmen *zwemles* voetbal*"
            " *turnen* dansen *dansles* muziek* *muziekles* *muziekschool* cultuur* *cultureel* *bibliotheek*"
            " bieb *museum* theater* *film* *bioscoop* kunst* *jeugdhonk* *jongerencentrum* *activiteit*"
            " *vereniging* hobby* vrije-tijd vrijetijd* *vakantie* sport football swim* music* culture* librar*"
            " museum* theatre theater cinema art activit* leisure"
        ),
        crc=(31,),
        sdg=(3,),
    ),
    Rule(
        "inclusie",
        _kw(
            "*discriminatie* discrimin* racisme racist* *inclusie* inclusief* inclusiev* *gelijkwaardig* gelijke"
            " *kansengelijkheid* *kansenongelijkheid* uitsluit* *buitengesloten* vluchteling* *asielzoeker* *azc*"
            " nieuwkomer* statushouder* lhbti* lgbt* queer* transgender* *gender* diversiteit"
            " discrimination inclus* equal* refugee* diversity"
        ),
        crc=(2,),
        sdg=(10,),
    ),
    Rule(
        "inclusie",
        _kw(
            "*beperking* gehandicapt* handicap* *rolstoel* *toegankelijk* *toegankelijkheid* autisme autist* adhd"
            " dyslexie *doof* *blind* disab* wheelchair* accessib* autism autistic"
        ),
        crc=(23, 2),
        sdg=(10,),
    ),
    Rule("inclusie", _kw("*gendergelijk* gelijkheid *genderneutraal* gender"), crc=(2,), sdg=(5,)),
    Rule(
        "participatie",
        _kw(
            "*participatie* participer* meepraten meedenken meebeslissen meedoen meebepalen inspraak luister*"
            " gehoord serieus *kinderraad* *kindergemeenteraad* *kinderburgemeester* *jongerenraad*"
            " *jeugdraad* *jongerenpanel* *kinderpanel* *jeugdgemeenteraad* *jongerenadvies* stem stemmen"
            " *stemrecht* mening* *betrekken* betrokken* participat* listen* heard voice*"
            " youth-council children's-council opinion* involve*"
        ),
        crc=(12, 13),
        sdg=(16,),
    ),
    Rule(
        "participatie",
        _kw("*kinderrecht* *kinderrechten* *rechten* *verdrag* ivrk crc child-rights children's-rights rights"),
        crc=(42, 12),
        sdg=(16,),
    ),
    Rule(
        None,
        _kw("privacy *privé* telefoon* smartphone* social-media sociale-media online* internet* screen*"),
        crc=(16, 17),
    ),
]

_TOKEN = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*|\d+")
# Two-word keywords written with "-" in the rules also match the words written apart ("openbare ruimte").
_PAIR_SEPARATOR = "-"


@dataclass(frozen=True)
class TagSuggestions:
    policy_areas: list[str] = field(default_factory=list)
    crc_articles: list[int] = field(default_factory=list)
    sdgs: list[int] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.policy_areas or self.crc_articles or self.sdgs)


def _matches(keyword: str, forms: set[str]) -> bool:
    starts, ends = keyword.startswith("*"), keyword.endswith("*")
    core = keyword.strip("*")
    if starts and ends:
        return any(core in f for f in forms)
    if ends:
        return any(f.startswith(core) for f in forms)
    if starts:
        return any(f.endswith(core) for f in forms)
    return core in forms


def _word_forms(text: str) -> list[tuple[set[str], bool]]:
    """(forms, is_pair): per word the word and its Dutch and English lemma; per neighbouring pair "first-second"."""
    tokens = [t.lower().replace("’", "'") for t in _TOKEN.findall(text[:5000])]
    result = []
    for token in tokens:
        forms = {token}
        for lang in ("nl", "en"):
            try:
                forms.add(simplemma.lemmatize(token, lang=lang).lower())
            except Exception:
                pass
        result.append((forms, False))
    for first, second in zip(tokens, tokens[1:], strict=False):
        result.append(({first + _PAIR_SEPARATOR + second}, True))
    return result


def suggest_tags(text: str, *, max_areas: int | None = 3) -> TagSuggestions:
    """Policy areas, CRC articles and SDGs that `text` mentions, each unique, strongest first.

    Strength is the number of words that match a rule; ties keep the order of POLICY_AREAS and the article/goal
    number. At most `max_areas` areas (None for all); articles and goals come only from the areas kept or from
    rules without an area.
    """
    if not text or not isinstance(text, str):
        return TagSuggestions()
    words = _word_forms(text)
    area_score: Counter[str] = Counter()
    hits: list[tuple[Rule, int]] = []
    for rule in RULES:
        count = sum(
            1
            for forms, is_pair in words
            if any(_matches(k, forms) for k in rule.keywords if not is_pair or _PAIR_SEPARATOR in k)
        )
        if count:
            hits.append((rule, count))
            if rule.area:
                area_score[rule.area] += count
    order = {key: i for i, key in enumerate(POLICY_AREA_KEYS)}
    areas = sorted(area_score, key=lambda a: (-area_score[a], order[a]))
    if max_areas is not None:
        areas = areas[:max_areas]
    crc: Counter[int] = Counter()
    sdg: Counter[int] = Counter()
    for rule, count in hits:
        if rule.area is None or rule.area in areas:
            # The first article/goal of a rule is its main one; later ones weigh a little less.
            for i, article in enumerate(rule.crc):
                crc[article] += count * (1.0 if i == 0 else 0.5)
            for i, goal in enumerate(rule.sdg):
                sdg[goal] += count * (1.0 if i == 0 else 0.5)
    return TagSuggestions(
        policy_areas=areas,
        crc_articles=sorted(crc, key=lambda a: (-crc[a], a)),
        sdgs=sorted(sdg, key=lambda g: (-sdg[g], g)),
    )
