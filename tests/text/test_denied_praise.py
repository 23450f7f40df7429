"""Words that deny praise, and short answers the model misread at once (unwords, issue #17).

Before v12 "Unusable" read positive 0.66, "The room was unhygienic and the kettle unusable."
positive, "I am highly unsatisfied with this company" positive 0.71 (the heads read the stems'
pieces, and v11 counted an "un-" word only for a list of service stems); "It lacks nothing"
read negative and a complaint (0.98); "😐" negative and a complaint (0.99); "Hopeless" had
optimism 0.97 among its emotions; "Never had a problem until I broke it myself" read negative.
The sentences are written for these tests (CC0), not taken from a data set.
"""

from __future__ import annotations

from advocacy.text.denied_praise import prefix_blame
from advocacy.text.document_reading import analyze_texts
from advocacy.text.emotion import emotions
from advocacy.text.neutral_faces import neutral_face_answers
from advocacy.text.polarity_lexicon import polarity_lexicon
from advocacy.text.sentiment import COMPLAINT_CUTOFF


def test_a_prefix_that_denies_clear_praise_is_blame_and_a_complaint() -> None:
    blame = [
        "Unusable",
        "The room was unhygienic and the kettle unusable.",
        "I am highly unsatisfied with this company",
        "Unsatisfactory",
        "The bathroom was unclean",
        "Inaccurate description",
        "Discourteous staff",
        "The app is unusable after the update",
        "Totally unsuitable for children",
    ]
    frame = analyze_texts(blame)
    assert frame["sentiment"].tolist() == ["negative"] * len(blame)
    assert (frame["complaint"] >= COMPLAINT_CUTOFF).all()


def test_a_prefix_before_a_weak_or_no_praise_stem_says_nothing() -> None:
    lexicon = polarity_lexicon()
    # A weak stem ("supported" 1.3, "surprisingly" 1.2, "well" 1.1), a stem that is no praise,
    # a word whose prefix denies nothing, "in-" before a stem outside the written lists.
    words = [
        "unsupported", "unsurprisingly", "unwell", "unlimited", "unstoppable", "unlike",
        "disease", "display", "invaluable", "indefinitely", "inactive", "united", "unfortunately",
    ]  # fmt: skip
    assert [prefix_blame(word, lexicon) for word in words] == [0.0] * len(words)
    frame = analyze_texts(["Invaluable advice", "Unbeatable value", "Unlimited data"])
    assert "negative" not in frame["sentiment"].tolist()


def test_a_prefix_in_a_question_or_before_later_praise_is_left_to_the_heads() -> None:
    asked = [
        "Why is the app unusable on my phone?",
        "How do I know if my top up was unsuccessful?",
    ]
    frame = analyze_texts(asked)
    assert "negative" not in frame["sentiment"].tolist()
    recovered = [
        "The kettle was unusable, they brought a new one within minutes, brilliant service",
        "Unhygienic at first glance, but the cleaner came at once and it was spotless, thank you",
    ]
    frame = analyze_texts(recovered)
    assert frame["sentiment"].tolist() == ["positive"] * len(recovered)
    assert (frame["complaint"] < COMPLAINT_CUTOFF).all()


def test_lacking_nothing_is_praise() -> None:
    frame = analyze_texts(["It lacks nothing", "This hotel lacks nothing at all"])
    assert frame["sentiment"].tolist() == ["positive"] * 2  # were negative, complaint 0.98
    assert (frame["complaint"] < COMPLAINT_CUTOFF).all()
    assert analyze_texts(["The room lacks a kettle"])["sentiment"].tolist() == ["negative"]


def test_a_fault_of_the_customers_own_doing_does_not_end_the_praise() -> None:
    own = ["Never had a problem until I broke it myself", "No problems until I dropped it"]
    frame = analyze_texts(own)
    assert frame["sentiment"].tolist() == ["positive"] * 2
    # A fault of the product still ends it (lexread).
    ended = ["Never had a problem until the battery died", "No problems until it broke"]
    assert analyze_texts(ended)["sentiment"].tolist() == ["negative"] * 2


def test_an_answer_of_neutral_faces_is_neutral_not_a_complaint() -> None:
    faces = ["😐", "😑😑", "😶", ":|", "😐 ."]
    frame = analyze_texts(faces)
    assert frame["sentiment"].tolist() == ["neutral"] * len(faces)
    assert (frame["complaint"] < COMPLAINT_CUTOFF).all()
    assert frame["sentiment_reason"].isna().all()
    # A face among words, or a face of scorn, is read by the heads as before.
    assert (
        neutral_face_answers(["😐 delivery took three weeks", "🙄", "😒"]).tolist() == [False] * 3
    )
    assert analyze_texts(["😡😡"])["sentiment"].tolist() == ["negative"]


def test_a_word_that_denies_hope_or_joy_carries_no_optimism_or_joy() -> None:
    texts = ["Hopeless", "I feel hopeless about this bank", "Unhygienic", "Hopeless service"]
    found = emotions(texts)
    for index in range(len(texts)):
        scores = found.scores(index)
        assert scores["optimism"] + scores["joy"] < 0.2, (texts[index], scores)
    assert found.strongest()[0] == "sadness"  # "Hopeless" was optimism 0.97
    assert emotions(["I hope it works this time"]).strongest() == ["optimism"]


def test_hostile_input_is_read_as_its_words_say() -> None:
    texts = [
        "<script>alert(1)</script> Unusable " * 2_000,  # markup, a long text
        "=SUM(A1) The room was unhygienic",  # a formula
        "un" * 50_000,  # one giant word that starts with a prefix
        "😐" * 5_000,  # a flood of neutral faces is no short answer: the heads read it
        "Inutilisable, vraiment décevant",  # French: no English prefix rule applies
    ]
    frame = analyze_texts(texts)
    assert frame["sentiment"].tolist()[:2] == ["negative", "negative"]
    assert neutral_face_answers(texts).tolist() == [False] * len(texts)
    assert prefix_blame("un" * 50_000, polarity_lexicon()) == 0.0
