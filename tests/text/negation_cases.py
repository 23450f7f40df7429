"""Sentences where a negation decides the sentiment, written for advocacy's tests (CC0).

Praise by denial ("could not fault"), denied problems ("nothing went wrong") and denied praise
("would not recommend"). None was copied from a data set; ``benchmarks/text_eval.py`` reports
on them too, and the shipped model never trained on them.
"""

from __future__ import annotations

#: (text, language, expected sentiment)
NEGATION_CASES: list[tuple[str, str, str]] = [
    ("I could not fault what they did for me.", "en", "positive"),
    ("Soft and cozy, not itchy at all.", "en", "positive"),
    ("Nothing went wrong from booking to check-out.", "en", "positive"),
    ("No complaints, the engineer sorted it in ten minutes.", "en", "positive"),
    ("Never had a problem with this bank in twelve years.", "en", "positive"),
    ("Can't say enough good things about the nurses.", "en", "positive"),
    ("The fit was not bad at all and the colour is lovely.", "en", "positive"),
    ("Arrived with a large hole in the front, would not recommend.", "en", "negative"),
    ("The app is not working again and nobody replies.", "en", "negative"),
    ("Not happy: the parcel never arrived.", "en", "negative"),
    ("I did not get the refund they promised.", "en", "negative"),
    ("Staff were not helpful and the room was not clean.", "en", "negative"),
    ("Ich kann mich über nichts beschweren, alles lief perfekt.", "de", "positive"),
    ("Leider nicht zu empfehlen, das Gerät ging nach einer Woche kaputt.", "de", "negative"),
    ("Rien à redire, le service était parfait.", "fr", "positive"),
    ("Je ne suis pas satisfait, la commande est arrivée abîmée.", "fr", "negative"),
    ("No tuve ningún problema, todo llegó a tiempo.", "es", "positive"),
    ("No lo recomiendo, se rompió el primer día.", "es", "negative"),
    ("Não tive nenhum problema, recomendo.", "pt", "positive"),
    ("Niet tevreden, het pakket kwam nooit aan.", "nl", "negative"),
]

#: (text, expected sentiment) pairs, the shape benchmarks/text_eval.py reads.
NEGATION: list[tuple[str, str]] = [(text, label) for text, _, label in NEGATION_CASES]
