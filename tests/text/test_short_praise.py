"""Short praise and blame words and short texts the model misread, model alone (lexread,
issue #17).

"Seamless" read -0.79 and a complaint at 0.99, "Effortless", "Spotless room" and "Tireless
staff" negative, "Priceless service" neutral: the "-less" praise rule trusted only the
polarity lexicon, which lacks them. "I regret nothing" read negative (a negation after the word
it denies), "No problems until it broke after a week" positive (only a time ended a denied
fault), "Hopeless" alone was detected Dutch and refused ("language not supported"), and
"Unprofessional" read neutral, "Unhelpful staff" positive (the "un-" prefix denies praise, and
the heads read the stem).
"""

from __future__ import annotations

from pathlib import Path

from advocacy.text.document_reading import analyze_texts
from advocacy.text.language import detect_languages
from advocacy.text.negation import negation_evidence
from advocacy.text.sentiment import COMPLAINT_CUTOFF
from support.corpora import blitzer_reviews

SPARED = [
    "Seamless",
    "Effortless",
    "Spotless room",
    "Tireless staff",
    "Priceless service",
    "The checkout was seamless",
    "lint-free and streak-free",
]


def test_a_word_that_spares_a_nuisance_is_praise_and_no_complaint() -> None:
    frame = analyze_texts(SPARED)
    # Before: negative (complaint 0.99, 0.93, 0.92, 0.99), neutral, negative, neutral.
    assert frame["sentiment"].tolist() == ["positive"] * len(SPARED)
    assert (frame["complaint"] < COMPLAINT_CUTOFF).all()


def test_other_less_words_and_a_denied_effort_are_not_praise() -> None:
    others = ["stainless steel", "wireless mouse", "countless hours", "pointless", "useless"]
    assert (negation_evidence(others) <= 0).all()
    assert (negation_evidence(["not seamless at all", "wasn't lint-free"]) < 0).all()
    # A nuisance a customer is spared by a suffix is no problem a negation word denies.
    frame = analyze_texts(["They made no effort to help"])
    assert frame["sentiment"].tolist() == ["negative"]


def test_nothing_after_a_word_denies_it() -> None:
    praise = ["I regret nothing", "Regret none of it", "I regret absolutely nothing"]
    frame = analyze_texts(praise)
    assert frame["sentiment"].tolist() == ["positive"] * 3  # were negative, complaint 0.99
    assert (frame["complaint"] < COMPLAINT_CUTOFF).all()
    assert negation_evidence(["worth nothing"]).tolist()[0] < 0  # a denied positive: blame
    # A comparison or an exception is not the word's object.
    assert negation_evidence(["I love nothing more than this blender"]).tolist() == [0.0]


def test_a_denied_fault_that_a_later_fault_ends_is_the_fault() -> None:
    ended = [
        "No problems until it broke after a week",
        "Never had a problem until the battery died",
    ]
    assert analyze_texts(ended)["sentiment"].tolist() == ["negative"] * 2  # were positive
    kept = ["Never had a problem, and it has lasted years", "No problems until now, still none"]
    assert analyze_texts(kept)["sentiment"].tolist() == ["positive"] * 2


def test_one_english_word_is_read_not_refused(shared_data: Path) -> None:
    frame = analyze_texts(["Hopeless", "Spotless room", "I regret nothing"])
    assert frame["sentiment"].tolist()[0] == "negative"  # was refused: detected Dutch
    assert frame["sentiment_reason"].isna().all()
    # Among English answers it takes their language; a word with other letters keeps its own.
    english = blitzer_reviews(shared_data, 25, seed=0, words=40)[0]
    found = detect_languages(["Hopeless", "Parabéns", "Enttauschend", "Desastroso", *english])
    assert found[:2] == ["en", "pt"]
    # A word that is no English word we know is detected as before, not read by the English
    # model (review26: lexread read them neutral, complaint 0.64 and 0.83).
    assert found[2] not in ("en", None) and found[3] not in ("en", None)


def test_an_un_word_that_denies_praise_is_blame_and_a_complaint() -> None:
    blame = ["Unprofessional", "Unhelpful staff", "Unresponsive seller", "Unreliable courier"]
    frame = analyze_texts(blame)
    # Before lexread: neutral, positive 0.82, positive 0.43; complaint 0.00, 0.00, 0.08.
    assert frame["sentiment"].tolist() == ["negative"] * len(blame)
    assert (frame["complaint"] >= COMPLAINT_CUTOFF).all()


def test_an_un_word_that_blames_no_service_flips_no_reading() -> None:
    """review26: lexread's "un-" rule reversed every positive stem and counted the lexicon's own
    "un-" words twice. Each of these read negative (a complaint, 0.77-1.00) after lexread."""
    questions = [
        "How can I check for an unsupported merchant for my transfer request?",
        "How do I know if my top up was unsuccessful?",
    ]
    frame = analyze_texts(questions)
    assert frame["sentiment"].tolist() == ["neutral"] * 2
    # "Unremarkable" left this list in v12: "remarkable" is clear praise (lexicon 2.6), and an
    # answer of "Unremarkable" is faint blame (test_denied_praise.py).
    words = ["Unstoppable", "Unwell", "Unsupported browser", "Undecided"]
    frame = analyze_texts(words)
    assert "negative" not in frame["sentiment"].tolist()
    recovered = [
        "Someone was unkind to me in the queue and the staff stepped in, thank you",
        "The first room was unclean, they moved us straight away to a lovely suite and apologised",
        "I was unhappy at first but the manager sorted it out brilliantly",
        "The uncertainty is over, great news",
        "Unhelpful? No, they were wonderful",
    ]
    frame = analyze_texts(recovered)
    assert frame["sentiment"].tolist() == ["positive"] * len(recovered)
    assert (frame["complaint"] < COMPLAINT_CUTOFF).all()
    tweets = [
        "GO TO LOCAL SOCIAL SECURITY UNEMPLOYMENT",
        "Oil down on strong dollar, OPEC uncertainty",
        "Unsurprisingly, both Marine Le Pen & Farage were there",
    ]
    assert negation_evidence(tweets).tolist() == [0.0] * len(tweets)


def test_other_un_words_say_nothing_by_their_prefix() -> None:
    # A verb that undoes ("unblock"), a negative stem, a preposition, an adverb of regret,
    # doubt, and no polar stem.
    others = [
        "Please unblock my card",
        "Unlimited data",
        "Unlike my old phone it charges fast",
        "Unfortunately it arrived early",
        "I am unsure",
        "United",
    ]
    assert negation_evidence(others).tolist() == [0.0] * len(others)
