"""Survey non-answers: placeholders are no_content, real comments that start alike are not."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from advocacy.text.non_answers import is_non_answer, non_answer_mask, normalize

PLACEHOLDERS = [
    "n/a", "N/A", "NA", "n.a.", " na ", "None", "none.", "NOTHING", "Nothing!", "No", "no.",
    "Nope", "-", "--", ".", "?", "...", "Did not answer", "did not answer.", "No comment",
    "No comments.", "Nothing to add", "not applicable", "Nil", "idk", "IDK", "No idea",
    "see above", "Same as above", "", "   ", "N/A N/A", "xxx", "***", "©",
    # de fr es pt it nl
    "keine", "Nichts", "k.A.", "K. A.", "keine Angabe", "Kein Kommentar", "rien", "Rien à dire",
    "aucun", "Aucun commentaire", "nada", "Ninguno", "sin comentarios",
    "Não", "nao sei", "sem comentários", "nulla", "Niente", "nessun commento", "geen",
    "Niets", "n.v.t.", "geen opmerkingen",
    # placeholders by their shape, with a courtesy or a time qualifier
    "Nothing else to add", "Nothing more to say.", "No further comments at this time",
    "None that I can think of", "Nothing at the moment", "No suggestions", "Nope, nothing",
    "No additional comments", "Nothing, thanks", "nothing to add. Thank you!", "None at all?",
    "No further feedback", "Nothing comes to mind", "Not really, thanks", "Nothing specific",
    "Keine Anmerkungen, danke", "Rien, merci", "Nada, gracias", "Niente, grazie",
    "Geen opmerkingen, bedankt", "Nada a comentar, obrigado",
    # "no comments" said as a sentence, and the other languages' "nothing to report"
    "I have no comments", "I have no comments.", "I've nothing to add",
    "I have nothing else to say",
    "I don't have any comments", "I do not have anything to add", "No comments from me",
    "Nothing from me, thanks", "There is nothing else to say", "I have no idea",
    "Je n'ai rien à ajouter",
    "Pas de remarques", "nada que comentar", "No tengo comentarios", "Sin observaciones",
    "nichts zu sagen", "Keine weiteren Anmerkungen", "Ich habe nichts hinzuzufügen",
    "nada a comentar", "Não tenho comentários", "Non ho commenti",
    "Geen verdere opmerkingen", "此用户未填写评价内容",
    # a bare number is a score typed into the comment box, not a comment
    "10", "5", " 0 ", "10.", "4.5",
    # what a spreadsheet or a designer left in the cell, at any length (review27 finding 9)
    "#NAME?", "#VALUE!", "#REF!", "#DIV/0!", "#N/A", "Err:502", "=1+1", "'=1+1", "=A1*2",
    "=SUM(A1:A3)", '=HYPERLINK("http://x")', "=cmd|' /C calc'!A0",
    "lorem ipsum dolor sit amet", "Lorem ipsum dolor sit amet, " + "consectetur adipiscing " * 20,
    "A" * 300, "1111111111111111111", "AAAA!!!", "EEEEEEEEEEEE",
    # keyboard mash (the last four are real Olist reviews)
    "asdf", "Asdf!", "qwerty", "sdfsdf", "asdf asdf", "nnnn", "aaa", "vbvbsgfbsbfs",
    "dfgadfgertterqt", "dsdfr3fEF",
]  # fmt: skip
COMMENTS = [
    # a face, words, a rank, a sigh and emoji are not what a spreadsheet left
    "=D",
    "=)",
    "= great service",
    "#1 shop",
    "#NAME? is what your site showed me",
    "Aaah",
    "😀😀😀",
    "AAAA 😡",
    "Ok",
    "Nothing went wrong",
    "No complaints at all, great service",
    "None of the staff helped",
    "No one answered the phone",
    "Nothing arrived",
    "n/a is not an answer, the app crashed",
    "Nada funcionó",
    "Rien ne marchait",
    "Keine Antwort vom Support",
    "Niets werkte",
    "ok",
    "Good",
    # short answers that are real: a reading, not a placeholder
    "Ok.",
    # emoji and emoticons say how the customer felt (audit4 item 7): read, not dropped
    "😐",
    "👍👍",
    "😡😡😡",
    "n/a 👍",
    ":(",
    ";-)",
    "<3",
    "★★★★★",
    "fine",
    "Fine!",
    "slow",
    "Slow",
    "good",
    "bad",
    "meh",
    "wow",
    "yes",
    "nice",
    "hahaha",
    "kkkk",
    "jajaja",
    "Grrr",
    "Hmm",
    "Mmmm",
    "rewarded",
    "strengths",
    "sweet",
    "iPhone",
    "10/10 would buy again",
    # a rating or an amount written out says how good or how much (review finding D6)
    "10/10",
    "0/10",
    "9/10",
    "#1",
    "50%",
    "£50",
    "24/7",
    # "nothing to report" is a verdict in a review (all went well), and a missing response is
    # a complaint (review suspicion S1)
    "Rien à signaler",
    "rien à signaler.",
    "RAS",
    "Nada que destacar",
    "Nada a destacar",
    "Niente di che",
    "niente da segnalare",
    "Niets te melden",
    "Nothing to report",
    "Nichts zu berichten",
    "nada a declarar",
    "There's no response",
    "There is no answer",
    "There is no feedback",
    "I have not",
    "There is not much",
    "There is no other",
    "5 stars",
    "100% recommend",
    "A+",
    "I have no complaints",
    "I have nothing but praise",
    "I don't have any problems with it",
    "Rien de spécial",
    "Nichts zu beanstanden",
    "Niets op aan te merken",
    "No.1 shop in town",
    # a placeholder word, then content
    "No, but the staff were great",
    "Nothing to add except thanks",
    "No complaints",
    "No issues",
    "No problems at all",
    "Nothing but praise",
    "Nothing special",
    "Nothing worked",
    "None arrived",
    "Not good",
    "Not happy",
    "No refund yet",
    "No one called back",
    "No way",
    "No more waiting in queues",
    "Nope, never again",
    "No thanks to the manager",
    "Nothing else matters, the staff were lovely",
    "Thanks",
    "Thank you!",
    # praise by denial in other languages: short, and content
    "Rien à redire",
    "Nichts zu meckern",
    "Niets op aan te merken",
    "Nada que objetar",
    "Nulla da ridire",
    "Nada a reclamar",
]


@pytest.mark.parametrize("text", PLACEHOLDERS)
def test_placeholders_are_non_answers(text: str) -> None:
    assert is_non_answer(text)


@pytest.mark.parametrize("text", COMMENTS)
def test_comments_that_start_like_a_placeholder_are_content(text: str) -> None:
    assert not is_non_answer(text)


def test_normalisation_folds_case_accents_punctuation_and_spaces() -> None:
    assert normalize("  Rien  À   DIRE !! ") == "rien a dire"
    assert normalize("N/A") == "n a"


def test_the_mask_marks_each_text_and_missing_values() -> None:
    mask = non_answer_mask(["n/a", "The courier was rude.", None, "Nothing to add."])
    assert mask.tolist() == [True, False, True, True]


def test_real_olist_mash_and_numbers_are_no_content(shared_data: Path) -> None:
    # Every review of the Olist file the rules mark: placeholders, a score, keyboard mash.
    path = shared_data / "real-exports" / "olist-subset" / "olist_order_reviews_dataset.csv"
    with path.open(encoding="utf-8", newline="") as handle:
        texts = [row["review_comment_message"] for row in csv.DictReader(handle)]
    marked = sorted({text.strip() for text in texts if text.strip() and is_non_answer(text)})
    # Read by eye: placeholders, a score typed as the comment, and keyboard mash; nothing else.
    assert marked == [
        "**", "*******************", ".", ". .", "10", "N/a", "Nao", "Sem comentários....",
        "X", "aaa", "dfgadfgertterqt", "dsdfr3fEF", "nnnn", "vbvbsgfbsbfs",
    ]  # fmt: skip


def test_real_reviews_in_six_languages_keep_their_content(shared_data: Path) -> None:
    # 30,000 MARC test reviews (de en es fr ja zh): none is a placeholder but the Chinese
    # padding template, when nothing else is said.
    for language in ("de", "en", "es", "fr", "ja", "zh"):
        path = shared_data / "text-corpora" / "marc-amazon-multi" / language / "test.csv"
        with path.open(encoding="utf-8", newline="") as handle:
            texts = [row[1] for row in csv.reader(handle)]
        marked = [text for text, empty in zip(texts, non_answer_mask(texts), strict=True) if empty]
        if language != "zh":
            assert not marked, language
            continue
        padded = [text for text in texts if "复制到哪" in text]
        assert len(padded) == 19 and len(marked) == 3 and set(marked) <= set(padded)
        # A template with a word of the customer's own ("很好", a size, a complaint) is content.
        assert not any(is_non_answer(text) for text in padded if "很好" in text or "码" in text)


def test_hostile_input() -> None:
    # A long text is content even if it is only a placeholder repeated; markup is no answer.
    assert not is_non_answer("nothing " * 100_000)
    assert is_non_answer("<br/>")
    assert not is_non_answer("<b>The refund never came</b>")
    # A formula is what a spreadsheet left, not the customer's words (review27 finding 9):
    # no content, not read (a face or words after "=" are content).
    assert is_non_answer('=HYPERLINK("http://x")')
    # ...but a customer's words after one are read: the formula is not the whole cell.
    assert not is_non_answer('=HYPERLINK("http://evil.example") the delivery was fine')
    assert is_non_answer("=" + "1+" * 20 + "1")
