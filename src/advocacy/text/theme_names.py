"""Names for discovered themes: representative phrases under class-based TF-IDF, and one quote.

A cluster of texts is named by the word 1-3-grams that are frequent in it and rare in the other
clusters: class-based TF-IDF (c-TF-IDF, Grootendorst 2022, eq. 1),

    weight(phrase, cluster) = tf(phrase, cluster) * log(1 + A / f(phrase)),

where ``tf`` is the share of the cluster's texts that contain the phrase, ``f`` the number of
texts of all clusters that contain it and ``A`` the average number of texts per cluster
(counting texts rather than occurrences keeps one long, repetitive text from naming a cluster).

A phrase may not begin or end with a function word of the text's language (a small list per language
for en de fr es pt it nl below, English when unknown; "waste of time" is a phrase, "of the" is not),
nor begin or end with a stop word (:func:`naming_stop_words`: the stopwords-iso list of the
language, 58 languages, with ours; so "tried", "sure", "like the blender" or "car ça marche" never
name a theme; an elided article or pronoun, "n'", "qu'", "dell'", is a function word of its own; a
word written with accents is looked up with them, so "Größe" (size) is not the stop word "große"
(big) it folds to), nor be a number, and must occur in at least two of the cluster's texts (one in a
cluster of fewer than four); a phrase never spans a punctuation mark ("late, the courier" is two).
A theme is named by what its texts are about, not by how they judged it (audit4 item 12: "short /
nice", "sleeves / nice", "perfectly / book"): a phrase may not begin or end with generic praise
(a word the shipped text model reads alone as positive with probability
:data:`~advocacy.text.name_judgements.GENERIC_PRAISE_PROBABILITY` or more: "nice", "love",
"great", "perfect", Portuguese "ótimo", in every language the model reads), a form of one
("loves") or, in English, an -ly adverb of one ("perfectly"). Milder praise ("comfortable",
"fast", "durable", German "bequem") and English words made with -ly ("absolutely", "finally",
"monthly") may begin or end a cluster's phrase only when the cluster is about them (review23
item 4: a comfort cluster is "comfortable / comfy", not "soft / super"; a fee cluster "monthly
fee"; "absolutely", said everywhere, names nothing): :mod:`advocacy.text.name_judgements` has
the rule. "sleeves", "price" and "fit" are not praise. Words of complaint ("broken", "leaks",
"damaged") may name a theme: they often say what went wrong.
Markup and code (tags, ``javascript:`` addresses, event attributes, ``alert(1)``:
:func:`~advocacy.text.markup.without_markup`), web addresses, @handles (TweetEval's "@user") and
their fragments ("http", "co", "amp") never name a theme, nor the clauses of the Chinese
review-padding template (:func:`~advocacy.text.non_answers.is_filler_clause`), nor does anything the
workspace redactor masks (:func:`naming_texts`: a person's name, an e-mail, a phone number): the
texts are redacted and cut at each mask before their phrases are read.

A phrase is *extended* to a longer one that contains it when most of the texts that say it say the
longer one ("delivery" becomes "late delivery" when most mentions are of late deliveries), so names
read as phrases rather than lists of words. Phrases are counted by their form
(:func:`~advocacy.text.phrase_forms.phrase_forms`: the Snowball stems of their words in the text's
language, as keywords are matched), so a text that says "sleeve" and one that says "sleeves" both
count for the sleeves, and the form is shown as the cluster's texts spell it most. The name is the
best two phrases that share no word form (so "price / prices", "knife / knives", "entrega /
entregue" never name a theme, nor, in English, a word beside its -r or -er noun: "voter / vote",
"printer / print"), and no two themes share a name (:func:`unique_names`). A phrase whose extension
would repeat a word of a phrase already chosen is taken unextended ("easy to install / assemble",
not "easy to install" alone because "easy to assemble" says "easy" again).

The quote is the text closest to the cluster's centre among those that say one of the theme's
key phrases (the closest of all when none does), with white space collapsed and cut at a word
boundary to :data:`QUOTE_CHARACTERS`.

References
----------
Grootendorst, M. (2022). BERTopic: neural topic modeling with a class-based TF-IDF procedure.
arXiv:2203.05794.
Diaz, G. (2016-2024). stopwords-iso: the most comprehensive collection of stopwords for
multiple languages (the ``stopwordsiso`` package, MIT).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Sequence
from functools import lru_cache
from typing import Any

import numpy as np
from numpy.typing import NDArray

from advocacy.text.markup import without_markup
from advocacy.text.name_judgements import barred_words
from advocacy.text.non_answers import is_filler_clause
from advocacy.text.phrase_forms import phrase_forms, say_one_thing
from advocacy.text.phrases import (
    MAX_CHARACTERS,
    fold,
    phrase_ends,
    stemmer_language,
    stems,
)

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
#: Stop words per language (folded: lower case, no accents): the hand lists above, which theme
#: assignment's learnt terms and seed keywords were tuned with.
STOP_WORDS = {
    language: frozenset(fold(word) for word in text.split())
    for language, text in _STOP_TEXT.items()
}
# Words a theme name is never made of in any language: the pieces of web addresses and of
# social-media handles and markup, which survive in text as words.
_WEB_WORDS = frozenset(
    ["http", "https", "www", "com", "co", "org", "net", "html", "amp", "quot", "nbsp", "rt", "url"]
)
# Words of the stopwords-iso lists that name what customers write about (an order, a room, the
# size, a problem): kept for names.
_TOPIC_WORDS = {
    "en": """area bill call calls card case cases computer copy date detail details face fire
        free help home information keys kind length line member members money name number
        order ordered orders page pages part parts place places price problem problems room
        rooms second section side site size state system test text value website width year
        years work works worked working small smaller large larger long longer short thin
        thick high higher low open clear early late latest poorly promptly quickly useful
        look looks front opening point points goods homepage webpage group groups amount
        interest interests welcome available results""",
}
# What the stopwords-iso lists lack: Japanese fillers ("ただ", "まあ") and review boilerplate.
_EXTRA_STOP_TEXT = {
    "ja": """ただ まあ 追記 正直 とても すごく ちょっと やはり やっぱり 本当に 少し 今回
        思います 思う あと 私は 私も なので ですが けど 結局""",
    "zh": "还 就 也 很 都 有点 真的 感觉 还是 如题 供参考 总之 总的来说 而且 但是 就是",
}
# Where a phrase ends: punctuation between clauses, line breaks (and the masks cut out below).
_CLAUSE = re.compile(r"[\n.,;:!?()\[\]{}\"“”«»|/、。，！？；：]")
# The redactor's masks ("[name]", "[email]"): a text is cut there, so no phrase spans one.
_MASK = re.compile(r"\[[a-z ]{2,24}\]")


@lru_cache(maxsize=128)
def naming_stop_words(language: str | None) -> frozenset[str]:
    """The folded words that cannot name a theme on their own in ``language``.

    The stopwords-iso list of the language (Diaz 2016-2024, the ``stopwordsiso`` package; 58
    languages), less the few of its words that name a topic (:data:`_TOPIC_WORDS`: "order",
    "room", "size"), with the hand list of :data:`STOP_WORDS` and a few more words of our own;
    English when the language has neither. Web-address fragments are stop words in every
    language.

    Parameters
    ----------
    language
        ISO 639-1 code (a region suffix such as ``zh-CN`` is ignored); None: English.

    Returns
    -------
    frozenset of str
        The stop words, folded (:func:`~advocacy.text.phrases.fold`).

    Examples
    --------
    >>> {"tried", "like", "sure"} <= naming_stop_words("en"), "order" in naming_stop_words("en")
    (True, False)
    >>> {"car", "ca"} <= naming_stop_words("fr"), "qualite" in naming_stop_words("fr")
    (True, False)
    """
    import stopwordsiso

    code = (language or "en").lower().replace("_", "-").split("-")[0]
    if not stopwordsiso.has_lang(code) and code not in STOP_WORDS:
        code = "en"
    published = stopwordsiso.stopwords(code) if stopwordsiso.has_lang(code) else set()
    topics = {fold(word) for word in _TOPIC_WORDS.get(code, "").split()}
    words = {fold(word) for word in published} - topics
    words |= STOP_WORDS.get(code, frozenset())
    words |= {fold(word) for word in _EXTRA_STOP_TEXT.get(code, "").split()}
    return frozenset(words | _WEB_WORDS)


@lru_cache(maxsize=128)
def _accented_stop_words(language: str | None) -> tuple[frozenset[str], frozenset[str]]:
    """The hand list's and :func:`naming_stop_words`'s words with their accents (lower case),
    for words written with accents: "Größe" (size) is not "große" (big), though both fold to
    "grosse"."""
    import stopwordsiso

    code = (language or "en").lower().replace("_", "-").split("-")[0]
    hand = frozenset(word.lower() for word in _STOP_TEXT.get(code, _STOP_TEXT["en"]).split())
    if not stopwordsiso.has_lang(code) and code not in STOP_WORDS:
        code = "en"
    published = stopwordsiso.stopwords(code) if stopwordsiso.has_lang(code) else set()
    topics = {word.lower() for word in _TOPIC_WORDS.get(code, "").split()}
    words = {word.lower().replace("’", "'") for word in published} - topics
    words |= {word.lower() for word in _STOP_TEXT.get(code, "").split()}
    words |= {word.lower() for word in _EXTRA_STOP_TEXT.get(code, "").split()}
    return hand | _WEB_WORDS, frozenset(words | _WEB_WORDS)


def naming_texts(texts: Sequence[str], redact: Callable[[str], str] | None = None) -> list[str]:
    """``texts`` as theme names read them: markup, code, addresses and handles removed
    (:func:`~advocacy.text.markup.without_markup`), personal data masked.

    ``redact`` (a workspace :class:`~advocacy.text.pii.Redactor`'s ``redact``, by default the
    shipped one's) masks names, e-mails and phone numbers; the masks are then cut out, so a
    phrase never holds one nor spans the place where one was.

    Parameters
    ----------
    texts
        The texts (each read up to :data:`~advocacy.text.phrases.MAX_CHARACTERS`).
    redact
        Masks personal data in one text; the shipped redactor's when None.

    Returns
    -------
    list of str
        One text per input, redacted, without addresses or handles, with a line break where
        each mask was.

    Examples
    --------
    >>> " ".join(naming_texts(["Ask Sarah Connor at the desk @user https://t.co/x"])[0].split())
    'Ask at the desk'
    """
    if redact is None:
        from advocacy.text.pii import Redactor

        redact = Redactor().redact
    cleaned = []
    for text in texts:
        # Redacted first: the redactor reads an e-mail whole, and a handle needs no mask.
        redacted = without_markup(redact((text or "")[:MAX_CHARACTERS]))
        cleaned.append(_MASK.sub("\n", redacted))
    return cleaned


# Elided function words of French, Italian and Catalan ("n'ai", "qu'il", "l'ho", "dell'ordine"):
# read as a word of their own, which is a function word ("dell'" + "ordine").
_ELIDED = frozenset(("c", "d", "j", "l", "m", "n", "s", "t", "qu", "jusqu", "lorsqu", "puisqu",
    "quoiqu", "presqu", "quelqu", "dell", "all", "dall", "nell", "sull", "coll", "un", "quell",
    "bell", "sant", "nessun", "gl", "tutt", "dev"))  # fmt: skip


# Japanese writes without spaces, so a "word" of the pattern above is a whole clause, never said
# twice, and a theme of Japanese reviews went unnamed ("theme 1"). Without a segmenter, the words
# that name a theme are found by script: the content words are runs of kanji ("不良品", "交換") or
# of katakana ("サイズ"), and the hiragana between them are mostly particles and endings. Such a
# word names a theme alone, never inside a 2-3-word phrase (the words were not written apart).
# Chinese has no such signal: cutting its runs into character pairs named themes by pairs that
# straddle two words ("亚马", "为什"), so a Chinese clause stays whole, and short clauses that
# customers repeat ("质量不错") name its themes.
_HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff々〆"
_KATAKANA = "\u30a0-\u30ff\uff66-\uff9f"
_KANA = re.compile(f"[\u3040-\u309f{_KATAKANA}]")
_CJK = re.compile(f"[{_HAN}\u3040-\u309f{_KATAKANA}]")
_JAPANESE_WORD = re.compile(f"[{_HAN}]+|[{_KATAKANA}]+|[^\\W_\u3040-\u309f{_KATAKANA}{_HAN}]+")
#: The share of a text's Chinese and Japanese characters that must be kana for it to be read as
#: Japanese when its language is not known (a Chinese review naming ポケモン is still Chinese).
JAPANESE_KANA_SHARE = 0.2


def _is_japanese(text: str, language: str | None) -> bool:
    """Whether ``text`` is read as Japanese: its language says so, or kana are a real share."""
    if language:
        return language.lower().startswith("ja")
    written = len(_CJK.findall(text))
    return written > 0 and len(_KANA.findall(text)) >= JAPANESE_KANA_SHARE * written


def _tokens(text: str, japanese: bool = False) -> list[str]:
    tokens = []
    for word in _WORD.findall(text[:MAX_CHARACTERS]):
        token = word.lower().replace("’", "'")  # lower, not casefold: "größe" stays
        if japanese and _CJK.search(token):
            tokens += _JAPANESE_WORD.findall(token)
            continue
        head, apostrophe, rest = token.partition("'")
        while apostrophe and rest and head in _ELIDED:
            tokens.append(head + "'")
            token = rest
            head, apostrophe, rest = token.partition("'")
        tokens.append(token)
    return tokens


def text_phrases(text: str, language: str | None = None) -> set[str]:
    """The distinct word 1-3-grams of ``text`` that may name a theme (see the module docs)."""
    ends = STOP_WORDS.get((language or "en").lower()[:2], STOP_WORDS["en"]) | _WEB_WORDS
    weak = naming_stop_words(language)
    accented_ends, accented_weak = _accented_stop_words(language)
    found: set[str] = set()
    read = without_markup((text or "")[:MAX_CHARACTERS])
    japanese = _is_japanese(read, language)
    for part in _CLAUSE.split(read):
        if not part.isascii() and is_filler_clause(part):
            continue  # a clause of the Chinese padding template says nothing
        tokens = _tokens(part, japanese)
        # A word typed with accents is looked up with them; one typed without, by its folding
        # ("qualite" is "qualité").
        plain = [token.isascii() for token in tokens]
        folded = [
            token if ascii else fold(token) for token, ascii in zip(tokens, plain, strict=True)
        ]
        bad = [
            (word in ends if ascii else token in accented_ends)
            or token.isdigit()
            or len(token) < 2
            or token.endswith("'")
            for word, token, ascii in zip(folded, tokens, plain, strict=True)
        ]
        stop = [
            word in weak if ascii else token in accented_weak
            for word, token, ascii in zip(folded, tokens, plain, strict=True)
        ]
        unspaced = [japanese and bool(_CJK.search(token)) for token in tokens]
        for length in (1, 2, 3):
            for start in range(len(tokens) - length + 1):
                end = start + length
                if length > 1 and any(unspaced[start:end]):
                    continue
                if not (bad[start] or stop[start] or bad[end - 1] or stop[end - 1]):
                    found.add(" ".join(tokens[start:end]).replace("' ", "'"))
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
    # A phrase is counted by its form (:func:`phrase_forms`): "sleeve" and "sleeves" are one
    # phrase, said by every text that says either, shown as the cluster's texts spell it most.
    forms = phrase_forms(per_text, chosen_languages)
    sizes = np.zeros(k)
    spelled: list[dict[str, Counter[str]]] = [{} for _ in range(k)]
    stemmers: list[Counter[str]] = [Counter() for _ in range(k)]
    for phrases, form_of, cluster, language in zip(
        per_text, forms, assignment, chosen_languages, strict=True
    ):
        if int(cluster) >= 0:
            sizes[int(cluster)] += 1
            stemmers[int(cluster)][stemmer_language(language)] += 1
            for phrase in phrases:
                spelled[int(cluster)].setdefault(form_of[phrase], Counter())[phrase] += 1
    # A phrase that begins or ends with a word of judgement (praise, or an English -ly adverb)
    # names no theme, nor extends a phrase that does, unless the word is what the cluster is
    # about (:func:`_judgements`). Only the spellings said often enough to name one are read.
    frequent = {
        spelling
        for cluster_spelled, size in zip(spelled, sizes, strict=True)
        for spellings in cluster_spelled.values()
        if spellings.total() >= _support(size)
        for spelling in spellings
    }
    barred = barred_words(frequent, per_text, forms, assignment, chosen_languages, sizes)
    # Each form's most written spelling that is not barred.
    shown = [
        {
            form: min(kept, key=lambda spelling: (-spellings[spelling], len(spelling), spelling))
            for form, spellings in cluster_spelled.items()
            if (
                kept := [
                    spelling for spelling in spellings if bar.isdisjoint(phrase_ends(spelling))
                ]
            )
        }
        for cluster_spelled, bar in zip(spelled, barred, strict=True)
    ]
    counts = [Counter[str]() for _ in range(k)]
    for phrases, form_of, cluster in zip(per_text, forms, assignment, strict=True):
        if int(cluster) >= 0:
            bar = barred[int(cluster)]
            counts[int(cluster)].update(
                {
                    form_of[phrase]
                    for phrase in phrases
                    if form_of[phrase] in shown[int(cluster)]
                    and bar.isdisjoint(phrase_ends(phrase))
                }
            )
    total = Counter[str]()
    for counter in counts:
        total.update(counter)
    average = float(sizes.sum()) / max(k, 1)
    labels = []
    for cluster, counter in enumerate(counts):
        support = _support(sizes[cluster])
        english = bool(stemmers[cluster]) and stemmers[cluster].most_common(1)[0][0] == "en"
        weight = {
            form: (count / max(sizes[cluster], 1)) * np.log(1 + average / total[form])
            for form, count in counter.items()
            if count >= support
        }
        # Equal weights: the longer phrase is the more telling name.
        ranked = sorted(
            weight, key=lambda form: (-weight[form], -form.count(" "), shown[cluster][form])
        )
        # Only phrases said often enough can name the cluster or extend a phrase that does.
        counter = Counter({form: count for form, count in counter.items() if count >= support})
        longer: dict[str, list[str]] = {}
        for form in counter:
            parts = form.split(" ")
            inner = {
                " ".join(parts[a:b])
                for a in range(len(parts))
                for b in range(a + 1, len(parts) + 1)
                if b - a < len(parts)
            }
            for shorter in inner & counter.keys():
                longer.setdefault(shorter, []).append(form)
        chosen: list[str] = []
        taken: list[set[str]] = []
        for form in ranked:
            # Forms, not spellings: "price / prices", "knife / knives" or "voter / vote" says
            # one thing twice. A phrase whose extension repeats a chosen one is named unextended
            # ("easy / install", not "easy" alone beside a dropped "easy to install").
            for best in dict.fromkeys((_extended(form, counter, longer), form)):
                said = set(best.split(" "))
                if not any(say_one_thing(said, other, english=english) for other in taken):
                    chosen.append(shown[cluster][best])
                    taken.append(said)
                    break
            if len(chosen) == top:
                break
        labels.append(chosen)
    return labels


def _support(size: float) -> int:
    """The texts of a cluster of ``size`` texts that must say a phrase for it to name it."""
    return 2 if size >= 4 else 1


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


def unique_names(phrases: Sequence[Sequence[str]], fallbacks: Sequence[str]) -> list[str]:
    """:func:`theme_name` of each theme, in order, none the same as an earlier one's.

    A theme whose name is taken is named by its first phrase and its next one that makes a new
    name and shares no word with it, by stem (then its second and a later one, ...); failing
    that, by its fallback.

    Parameters
    ----------
    phrases
        Each theme's phrases, best first, in the order names are handed out (largest first).
    fallbacks
        Each theme's name when it has no phrase ("theme 3").

    Returns
    -------
    list of str
        One name per theme, all different.

    Examples
    --------
    >>> unique_names([["good", "great", "price"], ["good", "great", "delivery"]], ["1", "2"])
    ['good / great', 'good / delivery']
    """
    names: list[str] = []
    for found, fallback in zip(phrases, fallbacks, strict=True):
        options = [theme_name(found, fallback)]
        options += [
            f"{found[first]} / {found[second]}"
            for first in range(len(found))
            for second in range(first + 1, len(found))
            # "late delivery / delivery" or "price / prices" says one thing twice
            if not set(stems(found[first])) & set(stems(found[second]))
        ]
        options += [fallback, f"{theme_name(found, fallback)} ({len(names) + 1})"]
        names.append(next(option for option in options if option not in names))
    return names


def shorten(text: str, limit: int = QUOTE_CHARACTERS) -> str:
    """``text`` with white space collapsed, cut at a word to ``limit`` characters (with "…").

    >>> shorten("The parcel came three days late and the box was crushed", 30)
    'The parcel came three days…'
    """
    collapsed = " ".join(str(text)[: limit * 4].split())
    if len(collapsed) <= limit:
        return collapsed
    cut = collapsed[: limit - 1]
    space = cut.rfind(" ")
    return (cut[:space] if space > limit // 2 else cut).rstrip(" ,;:-") + "…"
