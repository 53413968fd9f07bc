"""Word counts for the room screen: lemmas grouped, stop words and question words dropped, stable order."""

from werkconferentie.live.wordcloud import cloud_sizes, word_counts


def test_inflections_grouped_with_most_common_written_form():
    counts = word_counts(["Meer speeltuinen in Roden!", "Een speeltuin bij school", "Speeltuinen en een skatebaan"])
    assert counts[0] == ("speeltuinen", 3)
    assert ("school", 1) in counts and ("skatebaan", 1) in counts


def test_question_words_stop_words_numbers_placeholders_dropped():
    counts = dict(
        word_counts(
            [
                "Wat wil je op 20 november geregeld hebben in je gemeente? Meer jeugdzorg.",
                "Ik heet [naam], [telefoon]. Ik wil dat de gemeente het regelt, x y 2025 www.example.nl",
            ]
        )
    )
    assert counts == {"jeugdzorg": 1}


def test_children_kept():
    counts = dict(word_counts(["Kinderen moeten meepraten", "Luister naar kinderen", "Elk kind telt"]))
    assert counts["kinderen"] == 3  # "kind" and "kinderen" share a lemma; the common form shows


def test_counted_once_per_text():
    assert word_counts(["fietspad fietspad fietspaden", "fietspad"]) == [("fietspad", 2)]


def test_order_count_then_word_and_limit():
    texts = ["zwembad bibliotheek", "zwembad appel", "zwembad bibliotheek"]
    assert word_counts(texts) == [("zwembad", 3), ("bibliotheek", 2), ("appel", 1)]
    assert word_counts(texts, limit=2) == [("zwembad", 3), ("bibliotheek", 2)]
    assert word_counts(texts, limit=0) == []


def test_mixed_languages():
    counts = dict(word_counts([("More playgrounds please", "en"), ("Better playground and a swimming pool", "en")]))
    assert counts["playground"] == 2  # tie between forms: the shorter one
    assert "please" not in counts and "better" not in counts and "and" not in counts
    mixed = dict(word_counts(["Meer speeltuinen", ("More playgrounds", "en")]))
    assert mixed == {"speeltuinen": 1, "playgrounds": 1}


def test_empty_and_odd_input():
    assert word_counts([]) == []
    assert word_counts(["", "   ", "123 456", "🏞️ 👨‍👩‍👧", "[naam]"]) == []
    assert word_counts(["Café's en crèches"]) == [("café's", 1), ("crèches", 1)]


def test_cloud_sizes():
    assert cloud_sizes([]) == []
    assert cloud_sizes([("a", 3), ("b", 3)]) == [3, 3]
    sizes = cloud_sizes([("a", 100), ("b", 10), ("c", 1)])
    assert sizes == [5, 3, 1]
    assert cloud_sizes([("a", 8), ("b", 1)], min_size=2, max_size=4) == [4, 2]
    assert all(1 <= s <= 5 for s in cloud_sizes([(str(i), i) for i in range(1, 50)]))
