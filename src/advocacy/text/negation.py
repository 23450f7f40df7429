"""What a negation does to an English text's sentiment and complaint.

Which words a negation governs, in every sentiment language, is
:mod:`advocacy.text.negation_scope`'s (:func:`~advocacy.text.negation_scope.split_negated`: the
text models read the governed words apart). The heads learn from those features only what their
training tweets and comments taught them, and they read much praise by denial as neutral. For
English, :func:`with_negations` then reads each negation against a word-polarity lexicon (VADER's,
shipped as ``models/polarity_en.txt``) and a few hand-written word lists (failed expectations,
customer problems): a denied negative moves the text towards positive, a denied positive or a
denied expectation towards negative, an intensifying negation ("couldn't be happier") keeps its
word's sign, a denied superlative ("not the best") counts half, a modal's comparative ("could be
better") is a denial without a negation word, a suffix denies too ("faultless", "effortless",
"hassle-free") and so does a prefix before clear praise ("unhelpful", "unusable", "unsatisfied":
:mod:`advocacy.text.denied_praise`; not in a question nor before later praise), "nothing" after a
polar word denies that word ("I regret nothing"), and the clause a ``but`` overrides counts half
(:func:`negation_evidence`); the clause after a ``but`` is the verdict over its set-up
(:mod:`advocacy.text.contrast`), and praise a condition takes back is a wish ("would be great
if it were longer": blame). The static text model applies it to its sentiment and complaint
probabilities; in a short answer that only denies a fault ("nothing to fault", "never let me down")
the denial decides the sentiment (:func:`denial_decides`).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from functools import lru_cache

import numpy as np
from numpy.typing import NDArray

from advocacy.text.contrast import contrast_evidence
from advocacy.text.denied_praise import CLEAR_PRAISE, prefix_blame
from advocacy.text.heads import FloatArray, softmax
from advocacy.text.negation_scope import by_first_letter, lower_case_pattern
from advocacy.text.polarity_lexicon import polarity_lexicon

# -- what a negation does to the sentiment (English) ---------------------------------------------
#: How many words after an English negation word its polar word may stand ("not a single
#: thing went wrong"); the scope still ends at a clause end.
POLARITY_WORDS = 6
#: How much a negation in a clause that a later contrast overrides counts ("not cheap, but...").
OVERRIDDEN_CLAUSE = 0.5
#: Valence (VADER's -4..4 scale) of a failed expectation ("did not arrive", "never called back").
EXPECTATION_VALENCE = 1.8
#: How much a denied negative ("not bad") counts against a denied positive ("not good").
DENIED_NEGATIVE = 0.8
#: How much a denied superlative counts: an understatement ("not the best" is below par, "not
#: the worst" faint praise), not the intensifier a denied comparative is ("couldn't be better").
DENIED_SUPERLATIVE = 0.5
#: How much a modal's comparative counts ("could be better"), times a denial's: the heads read
#: the word as said (no negation word puts it in a scope they reverse), so the rule takes that
#: reading back and then denies it: twice the word's valence.
COUNTERFACTUAL = 2.0


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# With the apostrophe-less spellings of quick typing ("dont", "didnt", "wasnt").
_EN_NEGATORS = _words(
    """not no never nothing nobody none neither nor without cannot nowhere zero hardly barely
    dont doesnt didnt wont cant isnt wasnt arent werent couldnt wouldnt shouldnt hasnt havent
    hadnt aint"""
)
_EN_CONTRAST = _words("but however although though yet except whereas while")
# Words a negation does not reverse: "not sure" is doubt, not blame.
_NOT_REVERSED = _words("sure doubt")
_CONCESSIVE = _words("although though")
# A later one of these overrides the clauses before it ("not cheap, but the quality is superb").
_OVERRIDING = _words("but however yet")
_SENTENCE_MARKS = _words(". ; ! ?")
# Neutral verbs and nouns of what a customer expects to happen: denying them states a failure
# ("the charger does not work", "nobody answered", "not what I expected", "not as described").
_EXPECTED = _words("""work works working worked function functions arrive arrives arrived arriving
    come comes came show showed shown turn turned get got gotten receive received
    answer answers answered reply replied replies respond responds responded call called
    fix fixed fixes repair repaired resolve resolved solve solved deliver delivered
    refund refunded process processed apply applied honour honor honoured honored
    open opens opened load loads loaded start starts started connect connects connected
    charge charges charged fit fits fitted last lasted help helped
    expected described advertised pictured ordered listed shown""")
# Customer problems VADER's lexicon lacks (written for advocacy): denied, they are praise ("no
# issues at all", "never late", "didn't have to wait"). Valence -1.5, a mild negative.
_PROBLEMS = _words(
    """issue issues glitch glitches hiccup hiccups hassle hassles delays late rushed scratch
    scratches scratched dent dents dented leaks leaking stain stains stained crack cracked
    overcharged overpriced expensive pricey complicated smelly slow queue queues wait waiting
    hole holes bug bugs buggy crashes crashed fuss"""
)
PROBLEM_VALENCE = -1.5
# Nuisances a customer is glad to be spared that the lexicon does not call negative (written
# for advocacy): a "-less" or "-free" word that denies one is praise ("effortless",
# "spotless", "seamless", "tireless", "lint-free", "streak-free"). Kept apart from the
# problems a negation word denies: "they made no effort" is blame.
_NUISANCES = _words(
    """effort spot seam tire streak smudge lint snag wrinkle crease tangle odour odor
    noise drip lag"""
)
# "-less" words of praise whose stem names no nuisance (written for advocacy).
_PRAISING_LESS = _words("priceless timeless selfless peerless matchless limitless boundless")
# "-less" words that name a material or a feature, not a fault spared ("stainless steel").
_FEATURE_LESS = _words("stainless")
# Words that find fault with a company or a product: denied, they are the idiom of praise in
# customer feedback ("nothing to fault", "can't complain", "no complaints", "never had a
# problem", "never disappoints"), which :func:`denial_decides` lets decide a short answer.
_FAULT_FINDING = _words(
    """fault faults faulted flaw flaws complain complains complained complaining complaint
    complaints problem problems issue issues hassle hassles trouble troubles disappoint
    disappoints disappointed disappointing regret regrets regretted wrong glitch glitches
    hiccup hiccups fuss lack lacks lacked lacking"""
)
# Verbs of coming back: denied after "would"/"will" or with "again", they are lost custom.
_LOYALTY = _words("buy order book return visit stay shop use choose go come")
# Verbs of time taken: "long" within three words after one is a wait (see _PHRASAL).
_TAKE = _words("take takes took taking")
# Phrasal verbs of a problem whose words alone are not polar ("let me down", "fell apart",
# "ripped us off"): the verb, then its particle within three words, reads as a customer problem,
# so denied it is praise ("never let me down", "didn't fall apart").
_PHRASAL = {
    **dict.fromkeys(("let", "lets", "letting"), "down"),
    **dict.fromkeys(("fall", "falls", "fell", "fallen", "falling"), "apart"),
    **dict.fromkeys(("rip", "rips", "ripped", "ripping"), "off"),
    # "didn't take long", "it didn't take the kids long to figure it out": no wait
    **dict.fromkeys(_TAKE, "long"),
}
# A particle that is the first half of a split word, not of the phrasal verb ("won't let me down
# load my statement" is a download that failed, not praise).
_SPLIT_WORDS = _words("load loads loaded loading")
# Verbs of belief or surprise: a negation before one denies the belief, and what follows is
# what happened ("I can't believe they let me down", "never thought they would rip me off",
# "can't believe how good it is"), so the negation keeps its word's sign as an intensifying
# one does. A past form after any negation; a present one only after "can't", "couldn't" or a
# past negation ("didn't expect"), as "don't believe it works" denies what follows; not
# "can't imagine", which denies what follows as often as not ("can't imagine it was fantastic").
_SURPRISE_PAST = _words(
    "thought imagined expected dreamed dreamt knew believed guessed realized realised"
)
_SURPRISE_PRESENT = _words("believe expect realize realise")
_SURPRISED_NEGATORS = _words(
    "can't can’t cannot couldn't couldn’t cant couldnt didn't didn’t didnt never"
)
_SURPRISE_FILLERS = _words("i really even ever honestly quite actually truly")
# A time after "until"/"before" ends a denial: the fault came then ("never let me down until
# this order", "never had a problem before today", "no problems until the last update").
_UNTIL = _words("until till til before")
_TIME_POINTS = _words("now today yesterday tonight recently lately this last latest recent ago")
# Verbs of handling a customer's complaint: a fault word they govern or follow names what was
# not handled, so the negation denies the handling ("No complaint was ever answered", "not one
# complaint was dealt with", "nobody listens to complaints", "no one fixed my issue").
_HANDLING = _words(
    """answer answers answered reply replies replied respond responds responded deal deals
    dealt handle handles handled listen listens listened address addresses addressed
    acknowledge acknowledges acknowledged resolve resolves resolved solve solves solved fix
    fixes fixed sort sorts sorted investigate investigates investigated escalate escalated"""
)
# Words between a fault word and a handling verb that follows it ("was ever answered").
_AUXILIARIES = _words("was were is are be been being ever even get gets got has have had properly")
# Taking the customer's money without trouble is sarcasm, not praise ("no trouble taking my
# money", "no problem charging me twice"); "no problem charging my phone" is praise.
_TAKING = _words("taking charging billing debiting overcharging")
_TAKEN = _words("money cash payment me us twice")
# Words after "still" that say a denied fault stayed away ("until now, and still none").
_STILL_NONE = _words("none nothing fine perfect good great")
# Words that make a handled fault word a comparison, which praises ("better than this team").
_COMPARISONS = _words("better best like than faster quicker")
_MODAL = _words("would will won't wouldn't wont wouldnt")
# Negation words that may be a verb's object, denying the verb ("I regret nothing").
_OBJECT_NEGATORS = _words("nothing none")
# Words after such an object that make it a comparison or an exception ("I love nothing more",
# "want nothing else", "nothing but praise", "nothing like the picture").
_COMPARING_OBJECT = _words("more less else better worse but than like short")
_OBJECT_FILLERS = _words("really honestly truly absolutely literally just")
_INTENSIFIERS = _words("enough")
_SUPERLATIVES = _words("best worst")
# A modal that, before "be" or "have been" and a comparative, says what is fell short: "could
# be better", "should have been quicker", "might be cheaper elsewhere", "would be happier if".
_COUNTERFACTUAL = _words("could should might would could've should've might've would've")
_EN_QUICK_WORDS = by_first_letter(
    "not|no|never|nothing|nobody|none|neither|nor|without|cannot|nowhere|zero|hardly|barely|aint"
)
_EN_QUICK = re.compile(
    rf"(?i)(?<!\w)(?:{_EN_QUICK_WORDS}|"
    r"(?:do|does|did|wo|ca|is|was|are|were|could|would|should|has|have|had)nt)"
    r"(?!\w)|n['’]t(?!\w)|(?<!\w)(?:could|should|might|would)(?:['’]ve been| be| have been)(?!\w)"
)
_EN_QUICK_LOWER = lower_case_pattern(_EN_QUICK)
# A denial by suffix ("faultless", "hassle-free"), looked for only in a text holding "less" or
# "free" (a substring test costs far less than one more alternative at every position).
_SUFFIX_QUICK = re.compile(r"less(?!\w)|(?<!\w)free(?!\w)")


def _affixed(lowered: str) -> bool:
    """Whether a lower-cased text may hold a suffix denial or a prefixed one."""
    if ("less" in lowered or "free" in lowered) and _SUFFIX_QUICK.search(lowered) is not None:
        return True
    return _prefixed(lowered)


def _prefixed(lowered: str) -> bool:
    """Whether a lower-cased text holds a word whose prefix denies praise ("unusable",
    "unsatisfied", "inaccurate"; :func:`~advocacy.text.denied_praise.prefix_blame`).

    A loop over the places of each prefix rather than a pattern: most texts hold "un" or "in"
    somewhere ("found", "run", "in"), and a pattern's scan of each cost three times as much
    (lexread). Each word a prefix starts is looked up once per process (:func:`_prefix_denies`),
    so only texts that hold such a word are tokenised (about half of those holding any word of
    "un" or "dis" and four letters more; unwords).
    """
    for prefix in _PREFIXES:
        start = lowered.find(prefix)
        while start >= 0:
            if start == 0 or lowered[start - 1] not in _IN_A_WORD:
                word = _LETTERS.match(lowered, start)
                if word is not None and _is_prefix_denial(word.group()):
                    return True
            start = lowered.find(prefix, start + len(prefix))
    return False


# What may stand before a word's first letter inside a token (:data:`_TOKEN`).
_IN_A_WORD = frozenset("abcdefghijklmnopqrstuvwxyz'’")
_LETTERS = re.compile(r"[a-z]+")
_TOKEN = re.compile(r"[a-z]+(?:['’][a-z]+)*|[.,;:!?()]")


_CONTRACTED = ("n't", "n’t")
# A contrast word or a sentence mark starts a clause.
_CLAUSE_STARTS = _EN_CONTRAST | _SENTENCE_MARKS


def _is_negator(token: str) -> bool:
    return token in _EN_NEGATORS or token.endswith(_CONTRACTED)


def _valence(token: str, lexicon: dict[str, float]) -> tuple[float, bool]:
    """(valence, is a comparative): "friendlier" reads as "friendly", marked comparative."""
    if token in lexicon:
        return lexicon[token], token in ("better", "worse", "happier")
    if token in _PROBLEMS:
        return PROBLEM_VALENCE, False
    if token.endswith("less"):
        return _spared_valence(token, lexicon), False
    if token.startswith(_PREFIXES):
        return prefix_blame(token, lexicon), False
    for suffix, base in (("ier", "y"), ("er", ""), ("er", "e")):
        if token.endswith(suffix) and token[: -len(suffix)] + base in lexicon:
            return lexicon[token[: -len(suffix)] + base], True
    return 0.0, False


def negation_evidence(texts: Sequence[str]) -> FloatArray:
    """Per text, how far its English negations push its sentiment (VADER's -4..4 scale).

    Each negation word (``not``, ``never``, ``no``, ``nothing``, ``nobody``, ``without``,
    ``zero``, ``-n't``...) reads the first polar word after it in its clause (at most
    :data:`POLARITY_WORDS` words on): a denied negative is praise ("could not fault them",
    "nothing went wrong", "no complaints": minus its valence times :data:`DENIED_NEGATIVE`), a
    denied positive is blame ("not helpful", "would not recommend": minus its valence). A
    denied expectation ("did not arrive", "nobody answered", "not what I expected") counts as
    a denied positive of :data:`EXPECTATION_VALENCE`, and so does a denied return after
    "would"/"will" or with "again" ("would not buy again"). A negation that intensifies keeps
    the sign of its word: a comparative ("couldn't be happier", "could not ask for a
    friendlier team", "couldn't be worse"), ``enough`` ("can't say enough good things") and
    "never ... so/such" ("never been treated so kindly"); a denied superlative is an
    understatement and counts :data:`DENIED_SUPERLATIVE` reversed ("not the best" blame,
    "not the worst" faint praise). A comparative after a modal and "be" ("could be better",
    "should have been quicker") is read as a denial of it too, with no negation word. A
    negation that denies a belief or a surprise keeps its word's sign ("I can't believe they
    let me down", "never thought it would be this good"); a denied fault that a time or a
    fault ends ("never let me down until this order", "no problems until it broke") is the
    fault, and one a handling verb governs or
    follows ("no complaint was ever answered", "nobody listens to complaints") or that money
    taken follows ("no trouble taking my money") is a failed expectation. A
    "nothing" or "none" after a polar word, with nothing polar after it, denies that word
    ("I regret nothing" praise, "worth nothing" blame). A
    negation in a clause that a later ``but``/``however`` overrides, or in an ``although``
    clause, counts
    :data:`OVERRIDDEN_CLAUSE` (the last clause weighs more). The sum over a text's negations
    is returned; 0 where there is no negation.

    >>> [round(float(v), 2) for v in negation_evidence(
    ...     ["I could not fault them", "not helpful", "Great staff", "Couldn't be happier"])]
    [1.36, -1.8, 0.0, 2.4]
    >>> [round(float(v), 2) for v in negation_evidence(
    ...     ["never let me down", "never let me down until now", "No complaint was answered"])]
    [1.2, -1.5, -1.8]
    """
    lexicon = polarity_lexicon()
    out = np.zeros(len(texts))
    for i, text in enumerate(texts):
        if not text:
            continue
        lowered = text.lower()
        affixed = _affixed(lowered)
        if text.isascii():  # most texts: matched in lower case (see _lower_case)
            negated = _EN_QUICK_LOWER.search(lowered) is not None
        else:
            negated = _EN_QUICK.search(text) is not None
        if negated or affixed:
            out[i] = _text_evidence(_TOKEN.findall(lowered), lexicon, affixed=affixed)
    return out


def _affix_denial(tokens: list[str], position: int, lexicon: dict[str, float]) -> float:
    """What a word says by denying with a suffix (praise) or a prefix (blame), or 0.

    A "-less" word the lexicon reads positive ("faultless", "flawless", "painless",
    "harmless": the lexicon's own valence) or, where the lexicon lacks it, one that spares a
    nuisance or a problem ("effortless", "spotless", "seamless", "tireless", "glitchless")
    or is praise of its own ("priceless"; :func:`_spared_valence`); "stainless", "wireless",
    "useless" are not praise. Or "free" after a negative word or a nuisance ("hassle-free",
    "trouble free", "worry-free", "lint-free": the word's valence reversed, times
    :data:`DENIED_NEGATIVE`, as a negation denies it). A prefixed word is read by
    :func:`~advocacy.text.denied_praise.prefix_blame` ("unhelpful", "unusable" blame). A negation
    just before it reads the pair itself ("not hassle-free"), so it is not counted twice.
    """
    token = tokens[position]
    if any(_is_negator(t) for t in tokens[max(0, position - 3) : position]):
        return 0.0
    if token.startswith(_PREFIXES):
        if _asked(tokens, position) or _praised_later(tokens, position, lexicon):
            return 0.0
        return prefix_blame(token, lexicon)
    if token != "free":
        return max(_valence(token, lexicon)[0], 0.0)
    if position:
        return -_stem_valence(tokens[position - 1], lexicon) * DENIED_NEGATIVE
    return 0.0


def _stem_valence(word: str, lexicon: dict[str, float]) -> float:
    """A word's valence if negative (lexicon, customer problem, fault found, nuisance), else 0."""
    if word in _FAULT_FINDING or word in _PROBLEMS or word in _NUISANCES:
        return min(lexicon.get(word, PROBLEM_VALENCE), 0.0)
    return min(lexicon.get(word, 0.0), 0.0)


def _spared_valence(word: str, lexicon: dict[str, float]) -> float:
    """The praise of a "-less" word the lexicon lacks: one that spares a nuisance, a problem
    or a fault ("effortless", "spotless", "glitchless": its stem's valence reversed, times
    :data:`DENIED_NEGATIVE`, as "-free" reads), or one of :data:`_PRAISING_LESS`
    ("priceless", "timeless"), read as sparing a customer problem; else 0 ("wireless",
    "stainless", "countless")."""
    if word in _PRAISING_LESS:
        return -PROBLEM_VALENCE * DENIED_NEGATIVE
    if word in _FEATURE_LESS or len(word) < 7:
        return 0.0
    return -_stem_valence(word[:-4], lexicon) * DENIED_NEGATIVE


def _is_affix_denial(token: str) -> bool:
    # A stem of three letters or more: "bless", "unless" are not denials; nor "until", "unit".
    return (
        token == "free" or (token.endswith("less") and len(token) >= 7) or _is_prefix_denial(token)
    )


def _is_prefix_denial(token: str) -> bool:
    """Whether a word's prefix denies praise (a prefix and four letters at least)."""
    return len(token) >= 6 and token.startswith(_PREFIXES) and _prefix_denies(token)


_PREFIXES = ("un", "dis", "in", "im")


@lru_cache(maxsize=4096)
def _prefix_denies(token: str) -> bool:
    """Whether a prefixed word denies praise ("unusable", "unsatisfied"; denied_praise)."""
    return prefix_blame(token, polarity_lexicon()) < 0


def _asked(tokens: list[str], position: int) -> bool:
    """Whether the sentence of ``tokens[position]`` is a question ("Unhelpful? No, they were
    wonderful", "How do I know if my top up was unsuccessful?"): asked, not stated."""
    for token in tokens[position + 1 :]:
        if token in _SENTENCE_MARKS:
            return token == "?"
    return False


# Where a later clause praises, a prefix's blame is left to the heads, which read both: the
# customer tells of a fault put right ("someone was unkind to me in the queue and the staff
# stepped in, thank you", "the first room was unclean, they moved us to a lovely suite").
_CLAUSE_JOINS = _words(", ; . ! and") | _EN_CONTRAST
# Lexicon praise that is a preposition as often ("a chef that looks like he is miserable").
_NOT_PRAISE = _words("like")


def _praised_later(tokens: list[str], position: int, lexicon: dict[str, float]) -> bool:
    """Whether a clause after ``position`` holds clear praise (a lexicon word of valence
    :data:`~advocacy.text.denied_praise.CLEAR_PRAISE` or more that no negation governs)."""
    joined = False
    for index in range(position + 1, len(tokens)):
        token = tokens[index]
        if token in _CLAUSE_JOINS:
            joined = True
        elif (
            joined
            and token not in _NOT_PRAISE
            and lexicon.get(token, 0.0) >= CLEAR_PRAISE
            and not any(_is_negator(t) for t in tokens[max(0, index - 3) : index])
        ):
            return True
    return False


def _text_evidence(tokens: list[str], lexicon: dict[str, float], *, affixed: bool) -> float:
    """The sum of a text's negation shifts, each weighed by its clause; linear in the tokens.

    The negation words and the clause starts (contrast words, sentence marks) are found in
    one pass each (most tokens are neither); a negation's clause is concessive when the
    clause start before it is "although" or "though". Suffix and prefix denials are looked for
    only in a text ``affixed`` (:func:`_affixed`).
    """
    negators = [
        position
        for position, token in enumerate(tokens)
        if (_is_negator(token) and token not in _CLAUSE_STARTS) or token in _COUNTERFACTUAL
    ]
    if affixed:
        found = [position for position, token in enumerate(tokens) if _is_affix_denial(token)]
        negators = sorted(negators + found)
    if not negators:
        return 0.0
    starts = [position for position, token in enumerate(tokens) if token in _CLAUSE_STARTS]
    last_override = max((k for k in starts if tokens[k] in _OVERRIDING), default=-1)
    total, concessive, passed = 0.0, False, 0
    for position in negators:
        while passed < len(starts) and starts[passed] < position:
            concessive = tokens[starts[passed]] in _CONCESSIVE  # a new clause starts here
            passed += 1
        if tokens[position] in _COUNTERFACTUAL:
            shift = _counterfactual(tokens, position, lexicon)
        elif _is_affix_denial(tokens[position]):
            shift = _affix_denial(tokens, position, lexicon)
        else:
            shift = _one_negation(tokens, position, lexicon)
        if shift:
            overridden = concessive or position < last_override
            total += shift * (OVERRIDDEN_CLAUSE if overridden else 1.0)
    return total


def _one_negation(tokens: list[str], position: int, lexicon: dict[str, float]) -> float:
    """What one negation word says: about the words after it (:func:`_forward_negation`),
    or, where "nothing" or "none" is the object of a polar word and denies nothing after it,
    about that word (:func:`_object_denied`: "I regret nothing" praise, "worth nothing"
    blame)."""
    shift = _forward_negation(tokens, position, lexicon)
    if shift:
        return shift
    denied = _object_denied(tokens, position, lexicon)
    if denied < 0:
        return 0.0
    valence = _object_valence(tokens[denied], lexicon)
    return -valence * (DENIED_NEGATIVE if valence < 0 else 1.0)


def _object_denied(tokens: list[str], position: int, lexicon: dict[str, float]) -> int:
    """Where "nothing" or "none" stands after a polar word as its object ("I regret nothing",
    "it lacks nothing", "regret none of it", "worth nothing"), that word's position; else -1.
    Not where a comparison or an exception follows ("I love nothing more", "nothing but")."""
    after = tokens[position + 1 : position + 2]
    if tokens[position] not in _OBJECT_NEGATORS or (after and after[0] in _COMPARING_OBJECT):
        return -1
    before = position - 1
    while before >= 0 and tokens[before] in _OBJECT_FILLERS:
        before -= 1  # "I regret absolutely nothing" reads as "regret nothing"
    if before < 0 or not tokens[before][0].isalpha() or _is_negator(tokens[before]):
        return -1
    return before if _object_valence(tokens[before], lexicon) else -1


# Verbs of lacking, whose object "nothing" is praise ("it lacks nothing"); the lexicon holds
# only "lack", and in a negation's scope "lacks" stays unread ("not only lacks" is no denial).
_LACKING = _words("lack lacks lacked lacking")


def _object_valence(token: str, lexicon: dict[str, float]) -> float:
    """The valence of a word whose object "nothing" or "none" denies it."""
    valence = _valence(token, lexicon)[0]
    return valence or (PROBLEM_VALENCE if token in _LACKING else 0.0)


def _forward_negation(tokens: list[str], position: int, lexicon: dict[str, float]) -> float:
    negator = tokens[position]
    before = tokens[position - 1] if position > 0 else ""
    modal = negator in _MODAL or before in _MODAL or before.endswith(("'d", "’d", "'ll", "’ll"))
    scope: list[str] = []
    for token in tokens[position + 1 : position + 1 + POLARITY_WORDS]:
        if token in _EN_CONTRAST or token == "and" or not token[0].isalpha() or _is_negator(token):
            break
        scope.append(token)
    if negator == "never" and scope[:1] == ["again"]:
        return -EXPECTATION_VALENCE  # "never again"
    intensified = (
        any(t in _INTENSIFIERS for t in scope)
        or (negator == "never" and any(t in ("so", "such") for t in scope))
        # "couldn't be more satisfied", "could not have been more helpful": a comparative
        or any(t == "more" and scope[i - 1] in ("be", "been") for i, t in enumerate(scope) if i)
    )
    expected = 0.0
    if scope[:1] and scope[0] in _NOT_REVERSED:
        return 0.0
    surprised = _surprised(negator, scope)
    for index, token in enumerate(scope):
        if _is_phrasal(token, scope[index + 1 : index + 5]):
            if token in _TAKE and _soon_fault(tokens[position + 2 + index :], lexicon):
                return PROBLEM_VALENCE  # "it didn't take long to break": the fault came soon
            valence, comparative = PROBLEM_VALENCE, False  # "let me down"
        elif scope[index + 1 : index + 2] == ["free"] and _stem_valence(token, lexicon):
            valence, comparative = -_stem_valence(token, lexicon) * DENIED_NEGATIVE, False
        else:
            valence, comparative = _valence(token, lexicon)
        if valence:
            if token in _SUPERLATIVES:  # "not the best", "wasn't the worst": understatements
                return -valence * DENIED_SUPERLATIVE
            if intensified or comparative or surprised:
                return valence  # "can't believe they let me down": what follows happened
            if valence < 0 and (token in _FAULT_FINDING or token in _PHRASAL):
                rest = tokens[position + 2 + index : position + 2 + index + POLARITY_WORDS]
                if _fault_then(rest, lexicon):
                    return valence  # "never let me down until this order": the fault came
                if (_handling(scope[:index]) or _handled(rest)) and not _compared(rest):
                    return -EXPECTATION_VALENCE  # "no complaint was answered": no handling
            return -valence * (DENIED_NEGATIVE if valence < 0 else 1.0)
        if not expected and (
            token in _EXPECTED or (token in _LOYALTY and (modal or "again" in scope))
        ):
            expected = -EXPECTATION_VALENCE
    return 0.0 if surprised else expected


def _is_phrasal(token: str, after: list[str]) -> bool:
    """Whether ``token`` starts a phrasal problem whose particle is in ``after`` (the next
    words): "let me down", "fell apart", "ripped us off"; not "let me down load" (a download).
    """
    particle = _PHRASAL.get(token, "")
    if particle not in after[:3]:
        return False
    following = after[after.index(particle) + 1 : after.index(particle) + 2]
    return not (following and following[0] in _SPLIT_WORDS)


def _soon_fault(rest: list[str], lexicon: dict[str, float]) -> bool:
    """Whether the clause after a denied "take ... long" names a fault ("didn't take long
    for the handle to break", "... before it died"): the fault came soon, no wait was spared."""
    words = _clause(rest)
    return any(_valence(word, lexicon)[0] < 0 or word in _BREAKING for word in words)


# Faults told by a verb the lexicon lacks ("break", "fell off", "stopped working").
_BREAKING = _words(
    """break breaks breaking fall falls fell stop stops wear wore fade fades fading faded
    peel peels peeling peeled tear tears tore torn rust rusts rusted rusting"""
)


def _surprised(negator: str, scope: list[str]) -> bool:
    """Whether a negation denies a belief or a surprise (``_SURPRISE_PAST``), not what follows."""
    words = [word for word in scope[:3] if word not in _SURPRISE_FILLERS][:1]
    if not words:
        return False
    return words[0] in _SURPRISE_PAST or (
        words[0] in _SURPRISE_PRESENT and negator in _SURPRISED_NEGATORS
    )


def _clause(rest: list[str]) -> list[str]:
    """The words of ``rest`` up to the end of their clause."""
    words = []
    for word in rest:
        if word in _CLAUSE_STARTS or not word[0].isalpha():
            break
        words.append(word)
    return words


def _fault_then(rest: list[str], lexicon: dict[str, float]) -> bool:
    """Whether the words after a denied fault set a time it ended ("until now", "before
    today", "until the last update", "until a week ago") or name the fault that ended it
    ("until it broke", "until the battery died"), within their clause, and no later clause
    says there is still none ("no complaints until now, and still none")."""
    words = _clause(rest)
    ended = any(
        word in _UNTIL
        and not _own_doing(words[index + 1 :])
        and any(
            w in _TIME_POINTS or _valence(w, lexicon)[0] < 0 for w in words[index + 1 : index + 4]
        )
        for index, word in enumerate(words)
    )
    still_none = any(
        word == "still" and rest[index + 1 : index + 2] and rest[index + 1] in _STILL_NONE
        for index, word in enumerate(rest)
    )
    return ended and not still_none


# The customer as the one who did it: "until I broke it myself", "till we dropped it".
_OWN_DOERS = _words("i we i've we've")
_REFLEXIVE = _words("myself ourselves")


def _own_doing(words: list[str]) -> bool:
    """Whether the words after "until" tell of the customer's own doing ("until I broke it
    myself", "until we dropped it"): a first-person subject first, or "myself" in the
    clause. No fault of the product ends the denial there."""
    return bool(words) and (words[0] in _OWN_DOERS or any(w in _REFLEXIVE for w in words))


def _own_fault_words(tokens: list[str], start: int) -> set[int]:
    """The positions of a clause "until <the customer's own doing>" from ``start`` on ("never
    had a problem until I broke it myself"): its polar words are the idiom's, not the text's."""
    for index in range(start, len(tokens)):
        token = tokens[index]
        if token in _CLAUSE_STARTS or not token[0].isalpha():
            return set()
        if token in _UNTIL:
            words = _clause(tokens[index + 1 :])
            if _own_doing(words):
                return set(range(index, index + 1 + len(words)))
            return set()
    return set()


def _compared(rest: list[str]) -> bool:
    """Whether the clause after a handled fault word compares ("nobody listens to complaints
    better than this team", "nobody handles complaints like they do"): praise, not a failure."""
    return any(word in _COMPARISONS for word in _clause(rest))


def _handling(before: list[str]) -> bool:
    """Whether a verb of handling complaints governs the denied fault word ("nobody listens
    to complaints", "no one fixed my issue"); not one the customer did not need ("never had to
    deal with any problems")."""
    return any(
        word in _HANDLING and (index == 0 or before[index - 1] != "to")
        for index, word in enumerate(before)
    )


def _handled(rest: list[str]) -> bool:
    """Whether the words after a denied fault word say it was not handled ("no complaint was
    ever answered") or that money was taken ("no trouble taking my money")."""
    for index, word in enumerate(rest):
        if word in _HANDLING:
            return True
        if word in _TAKING:
            return any(w in _TAKEN for w in rest[index + 1 : index + 3])
        if word not in _AUXILIARIES:
            return False
    return False


def _counterfactual(tokens: list[str], position: int, lexicon: dict[str, float]) -> float:
    """What "could be better" says: the comparative after a modal and "be" or "have been"
    is what the thing fell short of (its valence reversed as a denial's, times
    :data:`COUNTERFACTUAL`: "could be better",
    "should have been quicker" blame; "could have been worse" faint praise), and "more" or
    "less" with a polar word says it lacked or had too much of it ("could be more helpful",
    "should be less noisy"). A modal a negation governs ("nothing could be better") is that
    negation's, not a counterfactual.
    """
    if any(_is_negator(token) for token in tokens[max(0, position - 2) : position]):
        return 0.0
    rest = tokens[position + 1 : position + 5]
    if rest[:1] == ["be"]:
        after = rest[1:]
    elif rest[:2] == ["have", "been"]:
        after = rest[2:]
    elif tokens[position].endswith("ve") and rest[:1] == ["been"]:
        after = rest[1:]
    else:
        return 0.0
    if after[:1] in (["more"], ["less"]) and len(after) > 1:
        return -abs(_valence(after[1], lexicon)[0]) * COUNTERFACTUAL
    if not after:
        return 0.0
    valence, comparative = _valence(after[0], lexicon)
    if not comparative:  # "would be a great phone if": the condition may come words later
        return _conditioned_praise(tokens[position + 1 + len(rest) - len(after) :], lexicon)
    return -valence * (DENIED_NEGATIVE if valence < 0 else 1.0) * COUNTERFACTUAL


# Words between "would be" and the praise a condition takes back ("would be a really great
# phone if"), and the words of that condition ("if", "except", "had it been").
_PRAISE_FILLERS = _words("a an the really very so truly absolutely just pretty quite totally")
_CONDITIONS = _words("if except unless had")
#: How many words after the praise its condition may start ("would be a great phone if").
CONDITION_WORDS = 3


def _conditioned_praise(after: list[str], lexicon: dict[str, float]) -> float:
    """What "would be great if they didn't run small" says: praise after a modal and "be" that
    a condition or an exception follows is what the thing is not (a wish is a complaint about
    what is: "would be perfect if it were longer", "would have been great except for the
    zip"), the praise's valence reversed as a denial's. Without the condition the modal
    praises ("these would be great for kids"). Only clear praise (valence
    :data:`~advocacy.text.denied_praise.CLEAR_PRAISE` or more: "would've been surprised if"
    is no wish); a negative word is left to the heads ("would be awful if it broke" warns of
    nothing that happened)."""
    index = 0
    while index < len(after) and after[index] in _PRAISE_FILLERS:
        index += 1
    if index >= len(after):
        return 0.0
    valence = _valence(after[index], lexicon)[0]
    if valence < CLEAR_PRAISE:  # "would've been surprised if" praises nothing
        return 0.0
    following = after[index + 1 : index + 2 + CONDITION_WORDS]
    for word in following:
        if word in _CONDITIONS:
            return -valence
        if not word[0].isalpha() and word != ",":
            return 0.0
    return 0.0


#: Logits the side a text's negations argue for gains over the other two classes, per unit of
#: :func:`negation_evidence` per sentence. Chosen on real review sentences that no benchmark
#: scores (SemEval-2014 train, the Blitzer halves that only teach): mean macro-F1 over
#: strengths 0.5-3 was flat within 0.002 and highest at 1 (docs/benchmarks.md).
STRENGTH = 1.0
_SENTENCE_ENDS = re.compile(r"[.!?]+(?:\s|$)")


def negation_shift(texts: Sequence[str]) -> FloatArray:
    """Per text, the logit its negations add to the side they argue for (+ positive, - negative).

    :func:`negation_evidence` plus the contrasts'
    (:func:`~advocacy.text.contrast.contrast_evidence`: "worried it might break but it has held
    up well" is praise), per sentence (a negation weighs less in a long review), times
    :data:`STRENGTH`.
    """
    evidence = negation_evidence(texts) + _contrasts(texts)
    if not evidence.any():
        return evidence
    sentences = np.array(
        [
            max(1, len(_SENTENCE_ENDS.findall(text))) if value else 1
            for text, value in zip(texts, evidence, strict=True)
        ]
    )
    return STRENGTH * evidence / sentences  # type: ignore[no-any-return]


def _contrasts(texts: Sequence[str]) -> FloatArray:
    """:func:`~advocacy.text.contrast.contrast_evidence` with this module's words and lexicon."""
    lexicon = polarity_lexicon()

    def valence(words: list[str], at: int) -> float:
        word, after = words[at], words[at + 1 : at + 5]
        if _is_phrasal(word, after):
            return PROBLEM_VALENCE  # "but fell apart pretty quickly"
        if word in _DEGREES and after[:1] and after[0][0].isalpha():
            return 0.0  # "pretty quickly" is a degree, not praise
        return _valence(word, lexicon)[0]

    return contrast_evidence(texts, _TOKEN.findall, valence, _is_negator)


# Words of praise that are degree adverbs before another word ("pretty quickly").
_DEGREES = _words("pretty")


# A typed emoticon anywhere in a text (":)", ";-(", ":/", ":D"): the heads read it as a polar word.
_EMOTICON = re.compile(r"(?<![\w:;=])[:;=][-'^]?[()\[\]/\\|*dpDP](?![\w()])")


def _pictured(text: str) -> bool:
    """Whether ``text`` holds an emoji or picture symbol or a typed emoticon."""
    if not text.isascii() and any(unicodedata.category(c) == "So" for c in text):
        return True
    return _EMOTICON.search(text) is not None


#: The most words an answer may have for its praise by denial to decide its sentiment
#: (:func:`denial_decides`): a short answer that is only a denial ("nothing to fault", "never
#: let me down", "no complaints at all"). In longer texts the heads read context the lexicon
#: lacks ("don't waste your money", "can't stop himself from fucking up"), so the shift only
#: adds there.
DENIAL_ANSWER_WORDS = 8


# Contrast words that join a second statement ("yet" and "while" also say when: "never let me
# down yet").
_CONTRASTING = _EN_CONTRAST - _words("yet while")


def denial_decides(texts: Sequence[str], shift: FloatArray) -> NDArray[np.bool_]:
    """Per text, whether it is a short answer whose only polar content is praise by denial,
    or blame by a prefix that denies praise.

    True where :func:`negation_shift` argues for positive, the text is one statement (no
    question mark, no second sentence, no contrast word such as "but") of at most
    :data:`DENIAL_ANSWER_WORDS` words with no emoji or emoticon, every negation in it argues
    for positive, each denies a word that finds fault (a fault, a complaint, a problem, a
    disappointment, a regret; "let down", "fall apart"), and no other word is polar in the
    lexicon (or a customer problem): "nothing to fault", "never let me down", "no
    complaints at all!!", "I can't fault the staff". There the
    heads' reading has only the denied words to go on, and they read them as neutral or
    negative (their training held little praise by denial; denied praise, "not happy", they
    read well), so :func:`with_negations` lets the denial decide. Other denials of a negative
    word in short texts ("don't forget", "not banned", "not bad") are not this idiom, and
    real tweets and comments read better by the heads with the shift added.

    True too where the shift argues for negative and, in such a short statement, every polar
    word is a prefixed word that denies praise and no negation word stands ("Unprofessional",
    "Unhelpful staff", "unresponsive seller"): the heads read those neutral or positive (the
    stem's sense outweighs the prefix's piece), so there the prefix decides.

    >>> texts = ["Nothing to fault!!", "nothing to fault, great staff", "neither good nor bad"]
    >>> denial_decides(texts, negation_shift(texts)).tolist()
    [True, False, False]
    >>> texts = ["Unhelpful staff", "unhelpful, rude staff"]
    >>> denial_decides(texts, negation_shift(texts)).tolist()
    [True, False]
    """
    lexicon = polarity_lexicon()
    out = np.zeros(len(texts), dtype=bool)
    for i in np.flatnonzero(np.asarray(shift) != 0):
        text = texts[int(i)]
        if "?" in text or _pictured(text):
            continue
        tokens = _TOKEN.findall(text.lower())
        words = [token for token in tokens if token[0].isalpha()]
        last_word = max((k for k, token in enumerate(tokens) if token[0].isalpha()), default=0)
        if (
            len(words) <= DENIAL_ANSWER_WORDS
            and not any(token in _SENTENCE_MARKS for token in tokens[:last_word])
            and not any(word in _CONTRASTING for word in words)
        ):
            alone = _denial_alone if shift[i] > 0 else _prefix_alone
            out[i] = alone(tokens, lexicon)
    return out


def _prefix_alone(tokens: list[str], lexicon: dict[str, float]) -> bool:
    """No negation word, and every polar word a prefixed word that denies praise."""
    blamed = False
    for position, token in enumerate(tokens):
        if _is_negator(token) or token in _COUNTERFACTUAL:
            return False
        if not _valence(token, lexicon)[0]:
            continue
        if not (_is_affix_denial(token) and _affix_denial(tokens, position, lexicon) < 0):
            return False
        blamed = True
    return blamed


def _denial_alone(tokens: list[str], lexicon: dict[str, float]) -> bool:
    """No negation argues for negative and no polar word stands but the ones they deny."""
    denied: set[int] = set()
    for position, token in enumerate(tokens):
        if _is_affix_denial(token) and _affix_denial(tokens, position, lexicon) > 0:
            denied.update((position - 1, position) if token == "free" else (position,))
            continue
        if token in _CLAUSE_STARTS or not (_is_negator(token) or token in _COUNTERFACTUAL):
            continue
        if token in _COUNTERFACTUAL:
            argued = _counterfactual(tokens, position, lexicon)
        else:
            argued = _one_negation(tokens, position, lexicon)
        if argued < 0:
            return False
        if not argued:
            continue
        denied.add(position)
        earlier = _object_denied(tokens, position, lexicon)
        if earlier >= 0 and not _forward_negation(tokens, position, lexicon):
            if tokens[earlier] not in _FAULT_FINDING:
                return False  # "it lacks nothing": praise, but not the idiom
            denied.add(earlier)  # "I regret nothing"
            continue
        for offset, word in enumerate(tokens[position + 1 : position + 1 + POLARITY_WORDS]):
            if word in _EN_CONTRAST or word == "and" or not word[0].isalpha() or _is_negator(word):
                break
            denied.add(position + 1 + offset)
            if word in _EXPECTED:
                return False  # "never received my order, disappointing": a failure first
            if _valence(word, lexicon)[0] or word in _PHRASAL:
                if word not in _FAULT_FINDING and word not in _PHRASAL:
                    return False  # "not bad", "don't forget": a denial, not the idiom
                # "until I broke it myself": the customer's doing, not the product's fault
                denied.update(_own_fault_words(tokens, position + 2 + offset))
                break  # the word this negation denies; any later polar word is the text's own
    return bool(denied) and not any(
        position not in denied and _valence(token, lexicon)[0]
        for position, token in enumerate(tokens)
    )


def with_negations(
    probabilities: FloatArray, shift: FloatArray, decides: NDArray[np.bool_] | None = None
) -> FloatArray:
    """Sentiment probabilities (columns negative, neutral, positive) with negations read.

    The side :func:`negation_shift` argues for gains its ``shift`` in logits over the other two
    classes: "I could not fault them" moves from neutral to positive, "nobody answered" towards
    negative; a text without an English negation (a zero shift) is unchanged. Where
    ``decides`` (:func:`denial_decides`: praise by denial, or blame by a prefix, is all the text
    says), the side the shift argues for leads the other two classes by at least the shift
    ("nothing to fault" reads positive however neutral the heads found the denied words,
    "Unprofessional" negative).

    >>> p = np.array([[0.24, 0.55, 0.21]])
    >>> shift = negation_shift(["I could not fault what they did for me."])
    >>> with_negations(p, shift).argmax(axis=1).tolist()
    [2]
    """
    moved = shift != 0
    if not moved.any():
        return probabilities
    logits = np.log(np.clip(probabilities[moved], 1e-9, 1.0))
    logits[:, 2] += np.maximum(shift[moved], 0.0)
    logits[:, 0] += np.maximum(-shift[moved], 0.0)
    if decides is not None and decides.any():
        rows = decides[moved] & (shift[moved] > 0)
        leader = logits[rows, :2].max(axis=1) + shift[moved][rows]
        logits[rows, 2] = np.maximum(logits[rows, 2], leader)
        rows = decides[moved] & (shift[moved] < 0)  # blame by a prefix ("Unhelpful")
        leader = logits[rows, 1:].max(axis=1) - shift[moved][rows]
        logits[rows, 0] = np.maximum(logits[rows, 0], leader)
    out = np.array(probabilities, dtype=np.float64)
    out[moved] = softmax(logits)
    return out


def complaint_with_negations(
    complaint: FloatArray, shift: FloatArray, decides: NDArray[np.bool_] | None = None
) -> FloatArray:
    """Complaint probabilities with negations read: praise by denial ("never had a problem")
    lowers them, a denied expectation ("the refund never came") raises them, by the same
    logits as the sentiment (:func:`negation_shift`). Where ``decides``
    (:func:`denial_decides`), no complaint leads by at least the shift, as positive does in
    :func:`with_negations` ("The process was painless" read 1.0 a complaint), or, for blame
    by a prefix, a complaint does ("Unprofessional" read 0.00).

    >>> texts = ["The process was painless"]
    >>> shift = negation_shift(texts)
    >>> decides = denial_decides(texts, shift)
    >>> bool(complaint_with_negations(np.array([0.99]), shift, decides)[0] < 0.5)
    True
    """
    moved = shift != 0
    if not moved.any():
        return complaint
    clipped = np.clip(complaint[moved], 1e-9, 1 - 1e-9)
    logit = np.log(clipped / (1 - clipped)) - shift[moved]
    if decides is not None:
        argued = -shift[moved]
        bounded = np.where(argued < 0, np.minimum(logit, argued), np.maximum(logit, argued))
        logit = np.where(decides[moved], bounded, logit)
    out = np.array(complaint, dtype=np.float64)
    out[moved] = 1.0 / (1.0 + np.exp(-logit))
    return out
