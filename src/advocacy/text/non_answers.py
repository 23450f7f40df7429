"""Survey non-answers: "n/a", "nothing", "did not answer", "-" are placeholders, not comments.

A non-answer (``no_content``) gets no sentiment (its reason is ``no content``), no emotions and
no theme, and stays out of theme discovery and calibration. Only a whole answer counts: the
answer is normalised (case, accents, punctuation, whitespace), a closing courtesy or time
qualifier is dropped ("thanks", "at the moment", "danke", "merci"...), and what is left must
equal one of :data:`NON_ANSWERS`, have the shape of an English placeholder ("nothing else to
add", "no further comments", "none that I can think of"), or hold no letter or digit at all
("-", "?", "...", emoji only). A real comment that starts with such a phrase ("Nothing went
wrong", "No complaints at all, great service", "None of the staff helped", "No, but the staff
were great", "Nothing to add except thanks") is content, and so is praise by denial that
looks short ("no complaints", "rien à redire", "nichts zu meckern").

The phrase list is written by hand for the languages the text model reads (en de fr es pt it
nl); no maintained library lists survey placeholders.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence

import numpy as np
from numpy.typing import NDArray

#: Sentiment reason stored for a non-answer.
NO_CONTENT = "no content"
#: Answers longer than this are never placeholders (and are not normalised at all).
MAX_LENGTH = 60

_ENGLISH = """
n/a | na | n.a. | n a | none | nothing | nothing really | nothing else | nothing to say |
nothing to add | nothing to report | nothing to comment | nothing at this time | not really |
no | nope | nah | no answer | did not answer | didn't answer | no response | no reply |
no comment | no comments | no further comment | no further comments | no comment at this time |
not applicable | nil | null | idk | i don't know | dont know | don't know | do not know |
no idea | not sure | unsure | see above | as above | same as above | ditto | blank | empty |
no thanks | no thank you | none at this time | none really | none thanks | nothing thanks |
nothing thank you | no opinion | pass | skip | test | xxx | x | nothing comes to mind |
cannot think of anything | can't think of anything | nothing i can think of | not at this time
"""
_GERMAN = """
keine | keiner | keins | kein | keine angabe | keine angaben | k.a. | k. a. | ka | k.a | nichts |
gar nichts | nix | nein | keine ahnung | weiss nicht | weiß nicht | keine meinung |
kein kommentar | keine anmerkungen | keine anmerkung | nichts hinzuzufügen | siehe oben |
nichts weiter | trifft nicht zu | entfällt | -
"""
_FRENCH = """
rien | rien a dire | rien à dire | rien à ajouter | rien a ajouter | aucun | aucune |
aucun commentaire | sans commentaire | non | pas de commentaire | je ne sais pas | sais pas |
nsp | ne sait pas | sans objet | néant | neant | voir ci-dessus | pas d'avis | sans avis |
non applicable | rien de plus | rien de particulier | ras | r.a.s.
"""
_SPANISH = """
nada | nada que decir | nada que añadir | nada que agregar | ninguno | ninguna | no |
sin comentarios | sin comentario | ningún comentario | ningun comentario | no sé | no se |
ni idea | no aplica | no procede | ver arriba | nada más | nada mas | ns/nc | ns nc | nc
"""
_PORTUGUESE = """
nada | nada a dizer | nada a declarar | nada a acrescentar | nenhum | nenhuma | não | nao |
sem comentários | sem comentarios | sem comentário | sem comentario | não sei | nao sei |
não se aplica | nao se aplica | não aplicável | nao aplicavel | ver acima | nada mais
"""
_ITALIAN = """
nulla | niente | nulla da dire | niente da dire | nulla da aggiungere | niente da aggiungere |
nessuno | nessuna | no | nessun commento | senza commenti | non so | boh | non saprei |
non applicabile | vedi sopra | niente di che
"""
_DUTCH = """
geen | niets | niks | nee | geen idee | weet niet | weet ik niet | geen commentaar |
geen opmerkingen | geen opmerking | niets toe te voegen | niet van toepassing | n.v.t. | nvt |
zie boven | zie hierboven | geen mening
"""


def normalize(text: str) -> str:
    """Lower case, accents removed, punctuation as spaces, whitespace collapsed.

    >>> normalize("  N/A!! ")
    'n a'
    >>> normalize("Rien à dire.")
    'rien a dire'
    """
    folded = unicodedata.normalize("NFKD", text.casefold())
    kept = []
    for character in folded:
        if unicodedata.combining(character):
            continue
        kept.append(character if character.isalnum() else " ")
    return " ".join("".join(kept).split())


#: Normalised non-answers in en de fr es pt it nl.
NON_ANSWERS: frozenset[str] = frozenset(
    normalize(phrase)
    for block in (_ENGLISH, _GERMAN, _FRENCH, _SPANISH, _PORTUGUESE, _ITALIAN, _DUTCH)
    for phrase in block.split("|")
    if normalize(phrase)
)
# A courtesy or a time qualifier at the end adds nothing: "Nothing to add, thanks", "None at the
# moment", "Keine Anmerkungen, danke", "Rien, merci". (Not "except thanks": that is content.)
_COURTESY = re.compile(
    r"(?: (?:thanks|thank you|thank u|thx|ty|cheers|sorry|at this time|at the moment|for now|"
    r"right now|currently|so far|as of now|really|at this point|at all|danke|vielen dank|merci|"
    r"merci beaucoup|gracias|muchas gracias|obrigad[oa]|grazie|bedankt|dank je|dank u))+$"
)
# English placeholders by their shape: "nothing else to add", "no further comments", "no
# additional feedback", "none that I can think of", "nothing comes to mind". A denied problem
# ("no complaints", "no issues", "nothing went wrong") is praise, never matched here.
_ENGLISH_SHAPE = re.compile(
    r"^(?:nope |nah |no )?(?:no|nothing|none|not)"
    r"(?: (?:else|more|further|additional|other|specific|particular|much|really))*"
    r"(?: (?:to (?:add|say|comment|report|mention|share|declare|note|suggest)"
    r"(?: on| at this time| here)?|comments?|remarks?|suggestions?|feedback|thoughts|input|"
    r"answer|response|opinion|ideas?))?"
    r"(?: (?:that|which)? ?i can think of| comes to mind| springs to mind| to mention)?$"
)
# Markup left by web forms ("<br/>", "&nbsp;") is no answer; bounded, so linear-time.
_MARKUP = re.compile(r"<[^<>]{0,100}>|&[a-z]{2,8};|&#\d{1,7};", re.IGNORECASE)
_REPEATED = re.compile(r"^(?:x+|n ?a|none|no)(?: (?:x+|n ?a|none|no))*$")


def is_non_answer(text: object) -> bool:
    """True when ``text`` is a survey placeholder rather than a comment.

    Empty and missing answers are non-answers too; anything longer than :data:`MAX_LENGTH`
    characters is content.

    >>> is_non_answer("N/A")
    True
    >>> is_non_answer("Nothing went wrong")
    False
    """
    if not isinstance(text, str):
        return True
    stripped = text.strip()
    if len(stripped) > MAX_LENGTH:
        return False
    normal = normalize(_MARKUP.sub(" ", stripped))
    # No letter or digit left: "-", "--", ".", "?", "...", emoji or symbols only.
    if not normal:
        return True
    core = _COURTESY.sub("", normal) or normal  # "thanks" alone is content (gratitude)
    return (
        core in NON_ANSWERS
        or _REPEATED.match(core) is not None
        or _ENGLISH_SHAPE.match(core) is not None
    )


def non_answer_mask(texts: Sequence[object]) -> NDArray[np.bool_]:
    """:func:`is_non_answer` of each text, as a boolean array."""
    return np.fromiter((is_non_answer(text) for text in texts), dtype=bool, count=len(texts))
