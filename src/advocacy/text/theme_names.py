"""Names for discovered themes: representative phrases under class-based TF-IDF, and one quote.

A cluster of texts is named by the word 1-3-grams that are frequent in it and rare in the other
clusters: class-based TF-IDF (c-TF-IDF, Grootendorst 2022, eq. 1),

    weight(phrase, cluster) = tf(phrase, cluster) * log(1 + A / f(phrase)),

where ``tf`` is the share of the cluster's texts that contain the phrase, ``f`` the number of
texts of all clusters that contain it and ``A`` the average number of texts per cluster
(counting texts rather than occurrences keeps one long, repetitive text from naming a cluster).
A phrase may not begin or end with a stop word of the text's language (a small list per
language for en de fr es pt it nl below, English when unknown; "waste of time" is a phrase,
"of the" is not), nor be a number, and must occur in at least two of the cluster's texts (one in
a cluster of fewer than four). A phrase is *extended* to a longer one that contains it when most
of the texts that say it say the longer one ("delivery" becomes "late delivery" when most
mentions are of late deliveries), so names read as phrases rather than lists of words. The
name is the best two phrases that share no word (compared by stem, so "price" and "prices"
never name one theme together).

The quote is the text closest to the cluster's centre, with white space collapsed and cut at a
word boundary to :data:`QUOTE_CHARACTERS`.

References
----------
Grootendorst, M. (2022). BERTopic: neural topic modeling with a class-based TF-IDF procedure.
arXiv:2203.05794.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from typing import Any

import numpy as np
from numpy.typing import NDArray

from advocacy.text.phrases import MAX_CHARACTERS, fold, stems

#: Longest quote shown for a theme, in characters.
QUOTE_CHARACTERS = 160
#: Share of a phrase's texts that must also say a longer phrase for it to be extended to it.
EXTEND_SHARE = 0.6
_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")
_STOP_TEXT = {
    "en": """a about above after again against all also am an and any are as at be because been
        before being below between both but by can could did do does doing don't down during each
        even every few for from further get got had has have having he her here hers herself him
        himself his how i i'm i've if in into is it it's its itself just let me more most much my
        myself no nor not now of off on once one only or other our ours ourselves out over own
        really same she should so some still such than that that's the their theirs them
        themselves then there these they this those through to too under until up us very was we
        were what when where which while who whom why will with would you your yours yourself
        however actually anyway ever though although yet maybe perhaps quite rather
        im ive dont didnt wasnt isnt cant couldnt wont thing things lot doesn't didn't isn't
        wasn't can't couldn't won't wouldn't aren't weren't haven't hasn't i'd i'll you're
        they're we're there's it'll""",
    "de": """aber alle allem allen aller alles als also am an ander andere anderen auch auf
        aus bei bin bis bist da damit dann das dass dein deine dem den der des dich die dies
        diese diesem diesen dieser dieses dir doch dort du durch ein eine einem einen einer
        eines er es etwas euch euer für gegen gewesen hab habe haben hat hatte hatten hier hin
        hinter ich ihm ihn ihnen ihr ihre im in indem ins ist jede jedem jeden jeder jedes jetzt
        kann kein keine können man manche mein meine mich mir mit muss nach nicht nichts noch
        nun nur ob oder ohne sehr sein seine sich sie sind so solche soll sondern sonst über um
        und uns unser unter viel vom von vor war waren warst was weil weiter welche wenn werde
        werden wie wieder will wir wird wo wollen wurde würde zu zum zur zwar zwischen bereits
        bisschen dabei dafür dagegen daher damals danach daran darauf darum davon dazu denn
        deshalb drin eben eigentlich einfach einige einmal ganz gerade gleich immer irgendwie
        jemand jedoch leider mal mehr meist meistens mehrere natürlich oft schon selbst sogar
        sowie trotzdem vielleicht völlig wenig wer wirklich wohl ziemlich bzw ca usw""",
    "fr": """a ai au aux avec avait avoir c ce cela ces cet cette ceux d dans de des du
        elle en est et été être eu il ils j je l la le les leur lui m ma mais me même mes moi
        mon n ne nos notre nous on ont ou où par pas plus pour qu que qui s sa sans se ses si
        son sont sur ta te tes toi ton tous tout très tu un une vos votre vous y c'est j'ai
        n'est ainsi alors après assez aucun aucune aussi autre autres avant beaucoup bien bon
        celle celui ceci chaque chez comme comment déjà donc dont encore enfin ensuite fait
        faire jamais juste là lors leurs maintenant moins peu peut plutôt pourquoi puis quand
        quelque quelques rien selon sous souvent tant tellement toujours toute toutes trop
        vraiment était étaient sommes suis avons""",
    "es": """a al algo algunos ante antes como con contra cual cuando de del desde donde
        durante e el ella ellos en entre era es esa ese eso esta estaba estar este esto estos
        fue ha había han hay la las le les lo los más me mi mis mucho muy nada ni no nos o os
        otra otro para pero poco por porque que quien se ser si sin sobre son su sus también te
        tiene todo tu un una uno unos y ya yo además ahora ahí allí aquí aquel aquella así aún
        bastante bien bueno cada casi cosa cosas demasiado después entonces esas esos estas
        estoy estamos están estaban hace hacer hizo incluso luego mal mejor menos mismo misma
        mucha muchas muchos nadie nunca otras otros pues quizá realmente sido siempre sólo tanto
        tenía tengo tienen toda todas todavía todos tampoco vez""",
    "pt": """a ao aos as até com como da das de dela dele do dos e ela ele eles em entre
        era essa esse esta este eu foi for há isso isto já lhe mais mas me meu minha muito na
        nas não nem no nos o os ou para pela pelo por qual quando que se sem ser seu sua são
        também te tem tinha um uma você é ainda além algo algum alguma apenas aqui assim
        bastante bem cada coisa coisas depois desde disso então está estão estava estou fazer
        fica foram lá mesmo mesma muita muitas muitos nada nenhum nessa nesse nossa nosso num
        numa outra outro outros pelas pelos pois porém porque pouco pra quase sempre seja sido
        só sobre sou tá tão tenho teve tive toda todas todo todos tudo vai vou agora""",
    "it": """a ad al alla alle anche avere c che chi ci come con cui da dal dalla degli dei
        del della delle di e è ed era gli ha hanno ho i il in io la le lei li lo loro lui ma mi
        mia mio molto ne nei nel nella noi non o per perché più poi quale quando quella quello
        questa questo se si sono su sua suo tra tu un una uno voi adesso allora altro altri
        ancora appena avevo bene c'è cioè così davvero dopo erano fatto già invece mai meglio
        molta molte molti nessuno niente ogni ora però poco proprio qualche qui quindi sempre
        sia sta stato stesso subito tanto troppo tutta tutte tutti tutto veramente""",
    "nl": """aan al alle als bij dan dat de der deze die dit doch door dus een en er ge
        geen had heb hebben heeft hem het hier hij hoe hun ik in is ja je kan kon maar me meer
        men met mij mijn na naar niet niets nog nu of om omdat ons ook op over reeds te tegen
        toch toen tot u uit van veel voor want waren was wat we wel werd wie wij wordt zal ze
        zei zelf zich zij zijn zo zonder zou alleen altijd beetje daar daarom echt eens
        eigenlijk even gewoon goed helemaal iets iemand ieder jullie keer kunnen misschien moet
        nooit steeds verder vooral waar wanneer weer worden zeer zelfs""",
}
#: Stop words per language (folded: lower case, no accents).
STOP_WORDS = {
    language: frozenset(fold(word) for word in text.split())
    for language, text in _STOP_TEXT.items()
}


def _tokens(text: str) -> list[str]:
    return [word.casefold().replace("’", "'") for word in _WORD.findall(text[:MAX_CHARACTERS])]


def text_phrases(text: str, language: str | None = None) -> set[str]:
    """The distinct word 1-3-grams of ``text`` that may name a theme (see the module docs)."""
    stop = STOP_WORDS.get((language or "en").lower()[:2], STOP_WORDS["en"])
    tokens = _tokens(text or "")
    bad = [
        (token if token.isascii() else fold(token)) in stop or token.isdigit() or len(token) < 2
        for token in tokens
    ]
    found = set()
    for length in (1, 2, 3):
        for start in range(len(tokens) - length + 1):
            if not bad[start] and not bad[start + length - 1]:
                found.add(" ".join(tokens[start : start + length]))
    return found


def class_tfidf(
    texts: Sequence[str],
    assignment: NDArray[Any],
    k: int,
    *,
    top: int = 5,
    languages: Sequence[str | None] | None = None,
) -> list[list[str]]:
    """Top ``top`` phrases per cluster under c-TF-IDF, each extended and sharing no word.

    ``assignment`` gives each text's cluster (0..k-1); a negative value leaves it out.
    """
    chosen_languages = list(languages) if languages is not None else [None] * len(texts)
    per_text = [
        text_phrases(text, language) if int(cluster) >= 0 else set()
        for text, cluster, language in zip(texts, assignment, chosen_languages, strict=True)
    ]
    counts = [Counter[str]() for _ in range(k)]
    sizes = np.zeros(k)
    for phrases, cluster in zip(per_text, assignment, strict=True):
        if int(cluster) >= 0:
            counts[int(cluster)].update(phrases)
            sizes[int(cluster)] += 1
    total = Counter[str]()
    for counter in counts:
        total.update(counter)
    average = float(sizes.sum()) / max(k, 1)
    labels = []
    for cluster, counter in enumerate(counts):
        support = 2 if sizes[cluster] >= 4 else 1
        weight = {
            phrase: (count / max(sizes[cluster], 1)) * np.log(1 + average / total[phrase])
            for phrase, count in counter.items()
            if count >= support
        }
        # Equal weights: the longer phrase is the more telling name.
        ranked = sorted(weight, key=lambda phrase: (-weight[phrase], -phrase.count(" "), phrase))
        # Only phrases said often enough can name the cluster or extend a phrase that does.
        counter = Counter({phrase: count for phrase, count in counter.items() if count >= support})
        longer: dict[str, list[str]] = {}
        for phrase in counter:
            parts = phrase.split()
            inner = {
                " ".join(parts[a:b])
                for a in range(len(parts))
                for b in range(a + 1, len(parts) + 1)
                if b - a < len(parts)
            }
            for shorter in inner & counter.keys():
                longer.setdefault(shorter, []).append(phrase)
        chosen: list[str] = []
        for phrase in ranked:
            best = _extended(phrase, counter, longer)
            # Stems, not spellings: "price / prices" or "restaurant / restaurants" says one
            # thing twice.
            said = set(stems(best))
            if not any(said & set(stems(other)) for other in chosen):
                chosen.append(best)
            if len(chosen) == top:
                break
        labels.append(chosen)
    return labels


def _extended(phrase: str, counter: Counter[str], longer: dict[str, list[str]]) -> str:
    """The longest phrase containing ``phrase`` that most of its texts also say."""
    current = phrase
    while True:
        options = [
            o for o in longer.get(current, []) if counter[o] >= EXTEND_SHARE * counter[current]
        ]
        if not options:
            return current
        current = max(options, key=lambda other: (counter[other], other))


def theme_name(phrases: Sequence[str], fallback: str) -> str:
    """A theme's name: its best two phrases, or ``fallback`` when it has none."""
    return " / ".join(phrases[:2]) or fallback


def shorten(text: str) -> str:
    """``text`` with white space collapsed, cut at a word to :data:`QUOTE_CHARACTERS`."""
    collapsed = " ".join(str(text)[: QUOTE_CHARACTERS * 4].split())
    if len(collapsed) <= QUOTE_CHARACTERS:
        return collapsed
    cut = collapsed[: QUOTE_CHARACTERS - 1]
    space = cut.rfind(" ")
    return (cut[:space] if space > QUOTE_CHARACTERS // 2 else cut).rstrip(" ,;:-") + "…"


def central_quote(texts: Sequence[str], members: NDArray[Any], similarity: NDArray[Any]) -> str:
    """The member text most similar to the centre, shortened (:func:`shorten`)."""
    if len(members) == 0:
        return ""
    return shorten(str(texts[int(members[np.argmax(similarity[members])])]))
