"""Survey non-answers: "n/a", "nothing", "did not answer", "-" are placeholders, not comments.

A non-answer (``no_content``) gets no sentiment (its reason is ``no content``), no emotions and
no theme, and stays out of theme discovery and calibration. Only a whole answer counts: the
answer is normalised (case, accents, punctuation, whitespace), a closing courtesy or time
qualifier is dropped ("thanks", "at the moment", "danke", "merci"...), and what is left must
equal one of :data:`NON_ANSWERS`, have the shape of an English placeholder ("nothing else to
add", "no further comments", "none that I can think of"), or hold no letter or digit at all
("-", "?", "...", "***"), or be a bare number ("10", "5": a score typed into the comment
box; "10/10", "0/10", "50%", "£50", "#1" are content) or keyboard mash
(:func:`advocacy.text.keyboard_mash.is_keyboard_mash`: "asdf", "nnnn", "vbvbsgfbsbfs"). A
real comment that starts with such a phrase ("Nothing went wrong", "No complaints at all, great
service", "None of the staff helped", "No, but the staff were great", "Nothing to add except
thanks") is content, and so is praise by denial that looks short ("no complaints", "rien à redire",
"nichts zu meckern"). What a spreadsheet or a designer left in the cell is no answer at any
length: an error value ("#NAME?", "#VALUE!"), a formula ("=1+1", "=SUM(A1:A3)"), dummy text
("lorem ipsum dolor sit amet") and one key held down ("AAAAAAAA") (:func:`_placeholder`).
An answer of emoji or emoticons ("😡😡😡", "👍", ":(") has no letter either, but it says
how the customer felt, and the text model reads it (👎 negative, 👍 and ❤️ positive): it is
content (:func:`_has_pictograph`).

"Nothing to report" and its kin ("rien à signaler", "RAS", "nada que destacar", "niets te
melden", "niente di che") are not listed: in a review they are a verdict (all went well, or
nothing special), and 6 of the 7 MARC-fr reviews that say "rien à signaler" give 4 or 5 stars.

The phrase list is written by hand for en de fr es pt it nl (the languages survey tools ask
in most; no maintained library lists survey placeholders), with the placeholders Chinese
review platforms fill in for an empty review and the padding template copied across them.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence

import numpy as np
from numpy.typing import NDArray

from advocacy.text.keyboard_mash import is_keyboard_mash

__all__ = [
    "MAX_LENGTH",
    "NON_ANSWERS",
    "NO_CONTENT",
    "is_filler_clause",
    "is_non_answer",
    "non_answer_mask",
    "normalize",
]

#: Sentiment reason stored for a non-answer.
NO_CONTENT = "no content"
#: Answers longer than this are never placeholders (and are not normalised at all).
MAX_LENGTH = 60

_ENGLISH = """
n/a | na | n.a. | n a | none | nothing | nothing really | nothing else | nothing to say |
nothing to add | nothing to comment | nothing at this time | not really |
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
nichts weiter | trifft nicht zu | entfällt | - | nichts zu sagen | nichts zu ergänzen |
keine kommentare | keine weiteren anmerkungen | keine weiteren kommentare |
keine bemerkungen | keine bemerkung | keine vorschläge | keine anregungen |
ich habe nichts hinzuzufügen | habe nichts hinzuzufügen | nichts weiter hinzuzufügen |
kein kommentar von mir
"""
_FRENCH = """
rien | rien a dire | rien à dire | rien à ajouter | rien a ajouter | aucun | aucune |
aucun commentaire | sans commentaire | non | pas de commentaire | je ne sais pas | sais pas |
nsp | ne sait pas | sans objet | néant | neant | voir ci-dessus | pas d'avis | sans avis |
non applicable | rien de plus | rien à rajouter | rien d'autre | rien d'autre à ajouter |
pas de commentaires | pas de remarque | pas de remarques | aucune remarque | aucune suggestion |
aucun avis | sans remarque | je n'ai rien à ajouter | je n'ai rien à dire |
je n'ai pas de commentaire | je n'ai pas de commentaires | pas d'autre commentaire
"""
_SPANISH = """
nada | nada que decir | nada que añadir | nada que agregar | ninguno | ninguna | no |
sin comentarios | sin comentario | ningún comentario | ningun comentario | no sé | no se |
ni idea | no aplica | no procede | ver arriba | nada más | nada mas | ns/nc | ns nc | nc |
nada que comentar | nada más que decir | nada más que añadir | no tengo comentarios |
no tengo nada que decir |
no tengo nada que añadir | sin observaciones | ninguna observación | ninguna sugerencia |
sin sugerencias | ningún comentario adicional
"""
_PORTUGUESE = """
nada | nada a dizer | nada a acrescentar | nenhum | nenhuma | não | nao |
sem comentários | sem comentarios | sem comentário | sem comentario | não sei | nao sei |
não se aplica | nao se aplica | não aplicável | nao aplicavel | ver acima | nada mais |
nada a comentar | nada mais a dizer | nenhum comentário |
sem observações | sem sugestões | não tenho comentários | não tenho nada a dizer |
não tenho nada a acrescentar
"""
_ITALIAN = """
nulla | niente | nulla da dire | niente da dire | nulla da aggiungere | niente da aggiungere |
nessuno | nessuna | no | nessun commento | senza commenti | non so | boh | non saprei |
non applicabile | vedi sopra | nessuna osservazione | nessun suggerimento | nessuna nota |
non ho commenti | non ho niente da aggiungere | non ho nulla da aggiungere | nessun commento in più
"""
_DUTCH = """
geen | niets | niks | nee | geen idee | weet niet | weet ik niet | geen commentaar |
geen opmerkingen | geen opmerking | niets toe te voegen | niet van toepassing | n.v.t. | nvt |
zie boven | zie hierboven | geen mening | geen verdere opmerkingen | geen suggesties |
geen commentaar verder | ik heb geen opmerkingen |
niets aan toe te voegen | verder niets
"""
# The texts Chinese review platforms store for a review left empty ("this user wrote no
# review", "praise by default").
_CHINESE = """
此用户未填写评价内容 | 用户未填写评价内容 | 此用户未及时填写评价内容 | 系统默认好评 | 默认好评
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


#: Normalised non-answers in en de fr es pt it nl (and the Chinese platforms' empty reviews).
NON_ANSWERS: frozenset[str] = frozenset(
    normalize(phrase)
    for block in (_ENGLISH, _GERMAN, _FRENCH, _SPANISH, _PORTUGUESE, _ITALIAN, _DUTCH, _CHINESE)
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
# ("no complaints", "no issues", "nothing went wrong") is praise, never matched here, and so is
# "nothing to report" (a verdict in a review: all went well, like "rien à signaler").
_MORE = r"(?: (?:else|more|further|additional|other|specific|particular|much|really))*"
_SAID = r"to (?:add|say|comment|share|suggest)(?: on| at this time| here)?"
_TAIL = r"(?: (?:that|which)? ?i can think of| comes to mind| springs to mind)?(?: from me| here)?$"
_ENGLISH_SHAPE = re.compile(
    rf"^(?:nope |nah |no )?(?:no|nothing|none|not){_MORE}"
    rf"(?: (?:{_SAID}|comments?|remarks?|suggestions?|feedback|thoughts|input|"
    rf"answer|response|opinion|ideas?))?{_TAIL}"
)
# The same said as a sentence: "I have no comments", "I've nothing to add", "There is nothing
# else to say". Only placeholders' objects: "There's no response" and "There is no answer" are
# complaints, and "I have not", "There is not much" are the start of a sentence.
_REMARKS = rf"{_SAID}|comments?|remarks?|suggestions?|thoughts|input"
_SENTENCE = re.compile(
    rf"^(?:nope |nah |no )?(?:(?:i|we) (?:have|ve|ve got|have got) (?:no|nothing){_MORE} "
    rf"(?:{_REMARKS}|feedback|opinion|ideas?)|there (?:is|s) (?:no|nothing){_MORE} "
    rf"(?:{_REMARKS})){_TAIL}"
)
# "I don't have any comments", "I do not have anything to add".
_HAVE_NONE = re.compile(
    r"^(?:i|we) (?:do not|don t|dont|did not|didn t) have (?:any|anything)"
    r"(?: (?:else|more|further|additional|other))?"
    r"(?: (?:to (?:add|say|comment|report|mention|share)|comments?|remarks?|suggestions?|"
    r"feedback|thoughts|input))?$"
)
# A review-padding template copied across Chinese shopping sites ("I never used to review ...
# copy this paragraph, earn the points, no need to count the characters"): a text made of its
# clauses only says nothing about the product, however long.
_FILLER = """以前从不去评价，不知道浪费了多少积分，现在知道积分可以换钱，
就要好好评价了，后来我就把这段话复制走了，既能赚积分，还省事，走到哪复制到哪，
最重要的是，不用认真的评论了，不用想还差多少字，直接发出就可以了，推荐给大家，
大家也试试"""
_FILLER_CLAUSES = frozenset(normalize(c) for c in "".join(_FILLER.split()).split("，"))
_CLAUSE = re.compile(r"[，,。.！!？?~～、\s]+")


def _is_filler(text: str) -> bool:
    """True for a text made only of the clauses of the padding template."""
    if len(text) > 400 or "复制" not in text:
        return False
    clauses = [normalize(clause) for clause in _CLAUSE.split(text)]
    return all(clause in _FILLER_CLAUSES for clause in clauses if clause)


def is_filler_clause(clause: str) -> bool:
    """True when ``clause`` (text between two punctuation marks) is one of the padding template's.

    Parameters
    ----------
    clause
        A piece of text between two punctuation marks.

    Returns
    -------
    bool
        Whether it is a clause of the Chinese review-padding template.

    Examples
    --------
    >>> is_filler_clause("直接发出就可以了"), is_filler_clause("质量很好")
    (True, False)
    """
    return normalize(clause) in _FILLER_CLAUSES


# Emoji, dingbats and the symbols of the emoji blocks (Miscellaneous Symbols and Dingbats,
# U+2600-27BF; arrows and stars, U+2B00-2BFF; U+1F000 on): symbols ("So") there are pictures a
# customer chose ("😡", "👍", "★", "☹"); "©", "°" and "→" are not among them.
_PICTURE_BLOCKS = ((0x2600, 0x27BF), (0x2B00, 0x2BFF), (0x1F000, 0x1FAFF))
# Emoticons typed as punctuation (":(", ";-)", ":'(", ":/", "<3"), alone or a few in a row.
_EMOTICONS = re.compile(r"(?:(?:[:;=][-'^]?[()\[\]/\\|*]{1,3}|</?3+)\s*){1,10}")


def _has_pictograph(text: str) -> bool:
    """True when ``text`` holds an emoji or a picture symbol, or is only typed emoticons.

    Parameters
    ----------
    text
        An answer.

    Returns
    -------
    bool
        Whether it holds a picture that says how its writer felt.

    Examples
    --------
    >>> [_has_pictograph(text) for text in ("😡😡😡", "★★★", ":-(", "-", "©")]
    [True, True, True, False, False]
    """
    for character in text:
        point = ord(character)
        if (
            point >= 0x2600
            and unicodedata.category(character) == "So"
            and any(low <= point <= high for low, high in _PICTURE_BLOCKS)
        ):
            return True
    return _EMOTICONS.fullmatch(text.strip()) is not None


# Markup left by web forms ("<br/>", "&nbsp;") is no answer; bounded, so linear-time.
_MARKUP = re.compile(r"<[^<>]{0,100}>|&[a-z]{2,8};|&#\d{1,7};", re.IGNORECASE)
_REPEATED = re.compile(r"^(?:x+|n ?a|none|no)(?: (?:x+|n ?a|none|no))*$")
# A bare number ("10", "5") is a score typed into the comment box; a rating or an amount
# written out ("10/10", "0/10", "50%", "£50", "#1") says more and is content.
_NUMBER = re.compile(r"\d{1,12}(?:[.,]\d{1,3})?[.!]*")


# What a spreadsheet put in the cell instead of an answer: an error value (Excel's and
# LibreOffice's "Err:502"), or a formula (review27 finding 9: "#NAME?" and "=1+1" were read,
# "=1+1" as a likely complaint). A formula is "=" (after the "'" an export puts before it)
# and a function called ("=SUM(A1:A3)", "=HYPERLINK(", "=cmd|") or an expression of numbers,
# cell references and operators only ("=1+1", "=A1*2"); "=D" and "=)" are faces, "= great
# service" words.
_SHEET_ERROR = re.compile(
    r"#(?:NAME\?|N/A|VALUE!|REF!|DIV/0!|NUM!|NULL!|SPILL!|CALC!|GETTING_DATA|FIELD!|BLOCKED!|"
    r"CONNECT!|BUSY!|UNKNOWN!|EXTERNAL!|PYTHON!)|Err:\d{3}",
    re.IGNORECASE,
)
_FUNCTION_CALL = re.compile(r"'?=\s*[A-Za-z_][A-Za-z0-9_.]{0,40}\s*[(|]")
# Bounded by MAX_LENGTH before it is matched; the tokens start with different characters.
_EXPRESSION = re.compile(r"'?=(?:[-+*/^&%(),:;<>=\s]|\d+(?:\.\d+)?|\$?[A-Za-z]{1,3}\$?\d+)+")
# Printers' and web designers' dummy text, at any length.
_LOREM = re.compile(r"\W*lorem\W+ipsum\b", re.IGNORECASE)


def _placeholder(stripped: str) -> bool:
    """True for what fills a cell in no one's words, at any length: a spreadsheet error or
    formula, dummy text ("lorem ipsum ..."), or one key held down ("AAAAAAAA", "1111...": a
    sound a customer types, "Mmmm", "kkkk", stays content, and "😀😀😀" is read as a feeling).

    >>> [_placeholder(t) for t in ("#NAME?", "=1+1", "=SUM(A1:A3)", "Lorem ipsum dolor", "AAAA")]
    [True, True, True, True, True]
    >>> [_placeholder(t) for t in ("=D", "= great service", "#1 shop", "Mmmm", "😀😀😀")]
    [False, False, False, False, False]
    >>> _placeholder('=HYPERLINK("http://x") the delivery was fine')
    False
    """
    if _SHEET_ERROR.fullmatch(stripped):
        return True
    call = _FUNCTION_CALL.match(stripped)
    # The formula is the whole cell: a call that words follow ('=HYPERLINK("...") the delivery
    # was fine') is a customer's text that begins with one, and its words are read.
    if call is not None and (stripped.endswith(")") or call.group().endswith("|")):
        return True
    if _LOREM.match(stripped[:40]):
        return True
    if len(stripped) <= MAX_LENGTH and _EXPRESSION.fullmatch(stripped):
        return any(character.isdigit() for character in stripped)
    kept = {character for character in stripped.casefold() if not character.isspace()}
    kept -= {character for character in kept if unicodedata.category(character)[0] == "P"}
    if len(kept) != 1:
        return False
    (character,) = kept
    held = sum(1 for c in stripped if c.isalnum())
    if held < 4:  # "#1", "zzz", "AAA" (a battery size)
        return False
    if character.isdigit():
        return True
    # A held letter reads as keyboard mash whatever its case ("AAAAAAAA" as "aaaaaaaa"), but
    # the sounds a customer types stay content ("Mmmm", "Ooo", "kkkk", "ZZZZ": keyboard_mash).
    return character.isalpha() and is_keyboard_mash(character * min(held, 64))


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
    if _placeholder(stripped):
        return True
    if len(stripped) > MAX_LENGTH:
        return _is_filler(stripped)
    unmarked = _MARKUP.sub(" ", stripped)
    if _has_pictograph(unmarked):  # "😡😡😡", "👍", ":(", "nothing 👍": a feeling shown
        return False
    normal = normalize(unmarked)
    # No letter or digit left: "-", "--", ".", "?", "..." or symbols only.
    if not normal:
        return True
    core = _COURTESY.sub("", normal) or normal  # "thanks" alone is content (gratitude)
    return (
        core in NON_ANSWERS
        or _REPEATED.match(core) is not None
        or _ENGLISH_SHAPE.match(core) is not None
        or _SENTENCE.match(core) is not None
        or _HAVE_NONE.match(core) is not None
        or _NUMBER.fullmatch(stripped) is not None
        or is_keyboard_mash(unmarked)
    )


def non_answer_mask(texts: Sequence[object]) -> NDArray[np.bool_]:
    """:func:`is_non_answer` of each text, as a boolean array."""
    return np.fromiter((is_non_answer(text) for text in texts), dtype=bool, count=len(texts))
