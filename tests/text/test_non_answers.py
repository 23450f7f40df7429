"""Survey non-answers: placeholders are no_content, real comments that start alike are not."""

from __future__ import annotations

import pytest

from advocacy.text.non_answers import is_non_answer, non_answer_mask, normalize

PLACEHOLDERS = [
    "n/a", "N/A", "NA", "n.a.", " na ", "None", "none.", "NOTHING", "Nothing!", "No", "no.",
    "Nope", "-", "--", ".", "?", "...", "Did not answer", "did not answer.", "No comment",
    "No comments.", "Nothing to add", "not applicable", "Nil", "idk", "IDK", "No idea",
    "see above", "Same as above", "😐", "👍👍", "", "   ", "N/A N/A", "xxx",
    # de fr es pt it nl
    "keine", "Nichts", "k.A.", "K. A.", "keine Angabe", "Kein Kommentar", "rien", "Rien à dire",
    "aucun", "Aucun commentaire", "nada", "Ninguno", "sin comentarios", "nada a declarar",
    "Não", "nao sei", "sem comentários", "nulla", "Niente", "nessun commento", "geen",
    "Niets", "n.v.t.", "geen opmerkingen",
    # placeholders by their shape, with a courtesy or a time qualifier
    "Nothing else to add", "Nothing more to say.", "No further comments at this time",
    "None that I can think of", "Nothing at the moment", "No suggestions", "Nope, nothing",
    "No additional comments", "Nothing, thanks", "nothing to add. Thank you!", "None at all?",
    "No further feedback", "Nothing comes to mind", "Not really, thanks", "Nothing specific",
    "Keine Anmerkungen, danke", "Rien, merci", "Nada, gracias", "Niente, grazie",
    "Geen opmerkingen, bedankt", "Nada a declarar, obrigado",
]  # fmt: skip
COMMENTS = [
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
    "5",
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


def test_hostile_input() -> None:
    # A long text is content even if it is only a placeholder repeated; markup is no answer.
    assert not is_non_answer("nothing " * 100_000)
    assert is_non_answer("<br/>")
    assert not is_non_answer("<b>The refund never came</b>")
    assert not is_non_answer('=HYPERLINK("http://x")')
