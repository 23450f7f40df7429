"""Taught theme labels train a classifier that tags the documents nobody taught."""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
import pytest

import advocacy
from advocacy.errors import UsageError
from advocacy.text.catalogue import assign_taxonomy
from advocacy.text.embeddings import default_embedder
from advocacy.text.theme_classifier import ThemeClassifier, keyword_self_training

# Sign-in trouble never says "app" and kind people never say "staff": keywords miss them all.
SIGN_IN = [
    "I cannot log in, the password reset link never works",
    "Locked out of my account again after the update",
    "The login page keeps rejecting my password",
    "Two-factor code never arrives so I can't sign in",
    "Forgot my password and the reset email is blank",
    "It logs me out every time I switch screens",
    "Account locked for no reason, cannot get back in",
    "Sign in fails with an error about my credentials",
    "Password reset loops back to the login screen",
    "My username is not recognised when I try to log on",
]
PEOPLE = [
    "The lady at the counter was so kind and patient",
    "Jo at the front desk went out of her way for us",
    "The man who served me was rude and dismissive",
    "Everyone behind the counter was cheerful and helpful",
    "The assistant explained everything patiently",
    "The cashier ignored me while chatting to a colleague",
    "A young guy on the till helped me find my size",
    "The manager apologised and sorted it out personally",
    "The woman at the desk was short with me",
    "The fellow at the checkout was very polite",
]
TAXONOMY = """themes:
  - name: App
    keywords: [app]
  - name: Staff
    keywords: [staff]
"""


def test_taught_themes_tag_documents_nobody_taught(db_url: str, tmp_path: Path) -> None:
    ws = advocacy.open(db_url)
    responses = tmp_path / "responses.csv"
    with responses.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["response_id", "submitted_at", "nps", "comment"])
        for number, text in enumerate(SIGN_IN + PEOPLE):
            writer.writerow([f"R{number}", f"2024-03-{1 + number % 28:02d}T10:00:00Z", 5, text])
    ws.import_file(responses, kind="responses")
    labels = tmp_path / "labels.csv"
    # Teach 7 of each theme; R7-R9 (sign-in) and R17-R19 (people) stay untaught.
    taught = [(f"R{i}", "App") for i in range(7)] + [(f"R{10 + i}", "Staff") for i in range(7)]
    labels.write_text(
        "document_id,kind,theme\n" + "".join(f"{i},response,{t}\n" for i, t in taught),
        encoding="utf-8",
    )
    ws.text.teach(labels)
    taxonomy = tmp_path / "taxonomy.yaml"
    taxonomy.write_text(TAXONOMY, encoding="utf-8")
    assign_taxonomy(ws.db, taxonomy)
    rows = ws.db.fetchall(
        "SELECT document_id, theme_id, origin FROM document_themes "
        "WHERE origin IN ('taught', 'learned')"
    )
    learned = {(d, t) for d, t, origin in rows if origin == "learned"}
    assert {document for document, _ in learned} == {"R7", "R8", "R9", "R17", "R18", "R19"}
    assert {("R7", "curated:App"), ("R17", "curated:Staff")} <= learned
    assert not {(d, t) for d, t, o in rows if o == "learned"} & {
        (d, t) for d, t, o in rows if o == "taught"
    }
    assert sum(origin == "taught" for *_, origin in rows) == 14


def test_too_few_examples_leave_a_theme_to_keywords() -> None:
    texts = SIGN_IN[:4] + PEOPLE
    vectors = default_embedder().embed(texts)
    classifier = ThemeClassifier().fit(vectors, ["App"] * 4 + ["Staff"] * 10)
    assert classifier.themes_ == []  # 4 App positives; Staff has only 4 negatives
    assert "needs 5" in classifier.report_[0].reason
    assert classifier.predict(vectors).shape == (14, 0)
    with pytest.raises(UsageError, match="not fitted"):
        ThemeClassifier().predict(vectors)


def test_a_theme_keywords_already_find_is_not_learned() -> None:
    texts = SIGN_IN + PEOPLE
    vectors = default_embedder().embed(texts)
    perfect = np.array([True] * 10 + [False] * 10)
    classifier = ThemeClassifier().fit(
        vectors, ["App"] * 10 + ["Staff"] * 10, baseline={"App": perfect, "Staff": ~perfect}
    )
    assert classifier.themes_ == []
    assert {fit.baseline_f1 for fit in classifier.report_} == {1.0}


def test_self_training_learns_only_themes_with_enough_keyword_sentences() -> None:
    embedder = default_embedder()
    food = ["The sushi was fresh", "Lovely noodles and dumplings", "The pasta was overcooked"]
    staff = ["The waiter was rude to us", "Our server forgot the order", "The hostess smiled"]
    seeds = embedder.embed(food + staff)
    unread = embedder.embed(["The ramen broth was salty", "The waitress ignored our table"])
    learned = keyword_self_training(
        seeds, np.array([0, 0, 0, 2, 2, 2]), unread, n_themes=3, random_state=0
    )
    assert learned.shape == (2, 3)
    assert learned.argmax(axis=1).tolist() == [0, 2]
    assert (learned[:, 1] == 0).all()  # a theme no sentence taught is never guessed
    # One theme with seeds is no choice to learn: nothing is assigned.
    lonely = keyword_self_training(seeds[:3], np.array([0, 0, 0]), unread, n_themes=3)
    assert (lonely == 0).all()


def test_sentences_about_none_of_the_themes_teach_self_training_what_none_sounds_like() -> None:
    embedder = default_embedder()
    food = ["The sushi was fresh", "Lovely noodles and dumplings", "The pasta was overcooked"]
    staff = ["The waiter was rude to us", "Our server forgot the order", "The hostess smiled"]
    none = ["We drove there on a Saturday", "My sister told me about it", "It was my birthday"]
    seeds, themes = embedder.embed(food + staff), np.array([0, 0, 0, 2, 2, 2])
    unread = embedder.embed(["The ramen broth was salty", "My cousin came along last Sunday"])
    alone = keyword_self_training(seeds, themes, unread, n_themes=3)
    beside = keyword_self_training(
        seeds, themes, unread, n_themes=3, background=embedder.embed(none)
    )
    # Without examples of none, the cousin goes to one of the two themes at about 0.5; with
    # them, what is left for either theme is the none class's remainder, and the ramen is food.
    assert alone[1].max() >= 0.5 and beside[1].max() < 0.4
    assert beside.shape == (2, 3) and beside[0].argmax() == 0 and (beside[:, 1] == 0).all()
    # Fewer than MIN_SEEDS examples of none are no class.
    few = keyword_self_training(
        seeds, themes, unread, n_themes=3, background=embedder.embed(none[:2])
    )
    assert np.allclose(few, alone)
