"""Word frequencies for the room screen's word cloud.

Words are grouped by their simplemma lemma, so "speeltuin" and "speeltuinen" count as one word. The cloud shows the
most frequent form people actually wrote for each lemma (lower-case), not the lemma itself: lemmas are sometimes
odd ("jongeren" has the lemma "jong", "spelen" the lemma "spel"), and the room should recognise its own words.
Ties between forms go to the shorter form, then the alphabetically first.

Dropped: Dutch and English stop words, words from the question itself ("gemeente", "geregeld", "november", "willen",
"hebben"...), numbers, one-letter tokens and placeholders such as "[naam]" left by scrub. "kind", "kinderen" and
"jongeren" are kept on purpose: in officials' answers they say *who* something is for, which is the point.
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence

import simplemma

# Common Dutch function words and fillers, plus the question "Wat wil je op 20 november geregeld hebben in je
# gemeente?" and words every answer shares ("meer", "beter", "zorgen", "zorgen dat").
DUTCH_STOP_WORDS = frozenset(
    """
    aan aangezien al alle allemaal alles als alsjeblieft alstublieft altijd ander andere anders ben bent bij bijna
    bijvoorbeeld binnen boven bv daar daarbij daardoor daarin daarna daarom daarvoor dan dat de deze die dit doe
    doen doet door dus echt een eens eigen eigenlijk elk elke en enkele enz er erg ergens etc even ga gaan gaat
    gedaan geen gehad gelijk gemaakt gewoon geweest gezegd goed graag haar had hadden heb hebben hebt heeft hem hen
    het hier hij hoe hoeveel hun iedere iedereen iemand iets ik in is ja je jij jou jouw jullie kan kon konden kun
    kunnen kunt laat laten later let liever maak maakt maar mag me meer meest men met mij mijn minder misschien moest
    moesten moet moeten mogelijk mogen na naar naast natuurlijk nee niet niets nog nooit nou nu of ofzo om omdat
    ons onze ook op over pas per plus precies rond samen sinds sommige steeds te tegen terwijl toch toe tot tussen u
    uit uw vaak van vanaf vanuit veel verder via vind vinden vindt voor vooral wanneer waar waarom wat we weer wel
    welke werd werden wie wij wil willen wilt word worden wordt zal zeer zelf zich zij zijn zo zoals zodat zonder zou
    zouden zullen zij ze zeker zit zitten zal zo'n z'n m'n d'r t 't
    beter beste goede zorgen regelen geregeld regeling gemeente gemeenten gemeentes november
    vandaag morgen straks jaar jaren dag keer manier ding dingen heel hele helemaal vinden denk denken weet weten
    zeggen zegt zien wel stuk soort elkaar krijgen krijgt komen komt kom blijven blijft staan staat zetten zet
    heet heten weten weet
    """.split()
)

ENGLISH_STOP_WORDS = frozenset(
    """
    a about above after again against all also am an and any are as at be because been before being below between
    both but by can could did do does doing down during each few for from further get gets had has have having he
    her here hers herself him himself his how i if in into is it its itself just let like make me more most my
    myself no nor not now of off on once only or other our ours ourselves out over own same she should so some such
    than that the their theirs them themselves then there these they this those through to too under until up us
    very was we were what when where which while who whom why will with would you your yours yourself yourselves
    want wants wanted need needs better good more less municipality municipalities council november done arranged
    sorted really thing things way get got lot lots etc please
    """.split()
)

STOP_WORDS = {"nl": DUTCH_STOP_WORDS, "en": ENGLISH_STOP_WORDS}

_PLACEHOLDER = re.compile(r"\[[^\[\]\n]{1,30}\]")
_URL_OR_EMAIL = re.compile(r"\S+@\S+|(?:https?://|www\.)\S+", re.IGNORECASE)
_TOKEN = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")

TextItem = str | tuple[str, str]


def _tokens(text: str) -> list[str]:
    text = _URL_OR_EMAIL.sub(" ", _PLACEHOLDER.sub(" ", text))
    return [t.lower().replace("’", "'").strip("'-") for t in _TOKEN.findall(text)]


def _lemma(token: str, language: str) -> str:
    try:
        return simplemma.lemmatize(token, lang=language).lower()
    except Exception:  # unknown language code or odd input: the word itself
        return token


def word_counts(
    texts: Iterable[TextItem],
    language: str = "nl",
    limit: int | None = 40,
    extra_stop_words: Iterable[str] = (),
) -> list[tuple[str, int]]:
    """(display form, count) for the `limit` most frequent lemmas, by count descending, then word.

    `texts` holds strings in `language`, or (text, language) pairs for a mix of Dutch ("nl") and English ("en").
    A word counts once per text, so one enthusiastic answer repeating a word does not dominate the cloud.
    """
    extra = frozenset(w.lower() for w in extra_stop_words)
    counts: Counter[str] = Counter()
    forms: dict[str, Counter[str]] = defaultdict(Counter)
    for item in texts:
        text, lang = (item, language) if isinstance(item, str) else item
        if not text:
            continue
        lang = (lang or language).lower()[:2]
        stop = STOP_WORDS.get(lang, DUTCH_STOP_WORDS) | extra
        seen: set[str] = set()
        for token in _tokens(text):
            if len(token) < 2 or token in stop:
                continue
            lemma = _lemma(token, lang)
            if len(lemma) < 2 or lemma in stop:
                continue
            forms[lemma][token] += 1
            if lemma not in seen:
                seen.add(lemma)
                counts[lemma] += 1
    result = []
    for lemma, count in counts.items():
        display = min(forms[lemma].items(), key=lambda kv: (-kv[1], len(kv[0]), kv[0]))[0]
        result.append((display, count))
    result = _merge_same_display(result)
    result.sort(key=lambda wc: (-wc[1], wc[0]))
    return result if limit is None else result[: max(limit, 0)]


def _merge_same_display(pairs: list[tuple[str, int]]) -> list[tuple[str, int]]:
    """Two lemmas can end up with the same display form (Dutch and English lemma of one word); add them up."""
    merged: Counter[str] = Counter()
    for word, count in pairs:
        merged[word] += count
    return list(merged.items())


def cloud_sizes(counts: Sequence[tuple[str, int]], min_size: int = 1, max_size: int = 5) -> list[int]:
    """A size class (min_size..max_size, for CSS) per (word, count) in `counts`, in the same order.

    A log scale keeps one very common word from shrinking all others to the smallest class. When all counts are
    equal every word gets the middle class, so an early cloud of single mentions does not shout.
    """
    values = [max(int(count), 1) for _, count in counts]
    if not values:
        return []
    low, high = min(values), max(values)
    if high == low:
        return [(min_size + max_size + 1) // 2] * len(values)
    span = math.log(high) - math.log(low)
    return [min_size + round((math.log(v) - math.log(low)) / span * (max_size - min_size)) for v in values]
