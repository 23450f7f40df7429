"""The names of the shipped text models, recorded with every stored reading.

Kept apart from :mod:`advocacy.text.text_model` (which loads the models) so that what reads
stored readings, such as the theme listing, can tell a reading of the current model from one
of an older model without loading any model.
"""

from __future__ import annotations

__all__ = ["EFFORT_CUES", "EMOTION_MODEL", "SENTIMENT_MODEL", "read_by_current_model"]

# v2: English negations shift the reading (text/negation.py); v3: so does the complaint head
# (sentiment.with_complaint); v4: the complaint column reads the sentiment too
# (sentiment.complaint_with_sentiment; the sentiment is v3's); v5: the heads are v4's, but what
# is read changed: more non-answers and keyboard mash are no content (text/non_answers.py,
# text/keyboard_mash.py), a text too short to tell takes one of its batch's languages, and a
# calibration reads its labelled texts out of sample; v6: English words the tokenizer splits are
# read as whole words (whole_words.py) and the heads were rebuilt on that embedding (emotion v2
# likewise); v7: a word that capitals split into more pieces is read as its lower-case form
# ("Terrible" was ▁Terri + ble; embeddings.StaticEmbedder's fold_capitals) and the heads were
# rebuilt on that embedding (emotion v3 likewise); emotion v4: the same head, and a text whose
# emotion is unclear (weak, or against its sentiment) has none on top (emotion.clear_emotion).
# v8: the same heads; an answer of emoji or emoticons ("😡😡😡", "👍", ":(") is content, not
# no content (non_answers.py), and a calibration fits on the embedding with negated words
# reversed (Reading.negation_embeddings), so a calibration fitted before is fitted again.
# v9: the same heads; a short answer that only denies a fault ("nothing to fault", "never let me
# down", "can't complain", "Faultless") reads positive and no complaint (negation.denial_decides),
# a suffix denies ("painless", "hassle-free"), and "let ... down", "fall apart", "rip off" are
# problems a negation denies.
# v10: the same heads; a "-less" or "-free" word that spares a nuisance the lexicon lacks
# ("effortless", "spotless", "seamless", "tireless", "priceless") is praise by denial, "nothing"
# after a polar word denies it ("I regret nothing"), a denied fault that a later fault ends is
# the fault ("no problems until it broke"), an "un-" word that denies praise is blame
# ("Unprofessional", "Unhelpful staff" read neutral and positive), and one word in ASCII letters
# alone is too short to tell its language ("Hopeless" read Dutch and was refused)
# (negation.py, language.py).
# v11: the same heads; an "un-" word is blame only where its stem is praise of service
# ("unhelpful", "unreliable"), not for any positive stem ("unsupported merchant",
# "Unstoppable" read negative) nor counted again where the lexicon holds it ("unkind" in a
# praised recovery read a complaint), and only one English word we know is too short to tell
# its language ("Katastrophe" among English answers read neutral, not refused) (review26).
# v12: the same heads; an "un-" or "dis-" word whose stem is clear praise (lexicon valence
# 1.5 or more) and an "un-"/"dis-"/"in-"/"im-" word of a written praise stem is blame, held in
# the lexicon or not ("Unusable", "unhygienic", "I am highly unsatisfied" read positive), but
# not in a question nor where a later clause praises; "it lacks nothing" is praise by denial;
# a fault "until I broke it myself" is the customer's own doing; an answer of neutral faces
# ("😐") is neutral, not a complaint (denied_praise.py, negation.py, neutral_faces.py).
# Emotion v5: the same head; a text read negative whose praise a word denies ("Hopeless":
# optimism 0.97) has the positive emotions' score moved to anger and sadness
# (emotion.with_denied_praise).
# v12 also: a text too short to tell its language but written in a script the
# model does not read ("很好", "Отлично") is refused as unsupported, not read as English
# (language.reads_texts; review27 finding 8), and what a spreadsheet or a designer left in
# the cell is no content: an error value ("#NAME?"), a formula ("=1+1"), "lorem ipsum", one
# key held down ("AAAAAAAA") (non_answers._placeholder; review27 finding 9).
# v13: the same heads; the clause after a "but" is a review's verdict and gains over its
# set-up where the two differ in polarity ("I was scared it would crack but it arrived in
# perfect shape" read negative, "Looks great but it broke in a week" positive: contrast.py),
# praise a condition takes back is blame ("would be great if they didn't run small" read
# positive, complaint 0.05), and three negations read as blame are praise: a denied wait
# ("it didn't take the kids long to figure it out"), "couldn't be more satisfied" and a
# denied realising ("I didn't realise how useful it would be") (negation.py; review27
# finding 7). Also v13: a text of at most three words the detector cannot place is judged
# by its words ("Péssimo", "Muy malo" are no longer read as English; "ok" is: language.py,
# english_words.py), so stored readings of such texts are read again.
# The name is recorded with every stored reading, complaint included: a new name re-reads
# stored texts. A change to which answers are
# no content (the non-answer rules) takes a new name too: the stored "no content" verdicts are
# trusted only from a reading of this name (:func:`read_by_current_model`).
SENTIMENT_MODEL = "real-sentiment-e5-v13"
EMOTION_MODEL = "real-emotion-e5-v5"
#: The effort cue lexicon's version (:mod:`advocacy.text.effort`), recorded with every stored
#: reading after the two models: a new version re-reads the stored texts' effort. v2: a cue
#: names friction with the company, not a product in use ("took forever to heat up"). v3: also
#: friction told without a count or duration (still no card, no way to contact, can't verify).
#: v4: what never came told without naming it ("never got mine in the mail", "pending, pending"),
#: and no hassle, delay or hours of a product ("hassle-free", "the battery took 14 hours").
#: v5: an automated answer only, a hassle exclaimed with a vow not to come back; no repeating
#: or transfer read in a book's or a chat's words ("against", "the same story", "third person").
#: v6: the vow names the company ("never have to ... again" is praise), an automated answer
#: only when it was all the customer got (not "Outlook's automatic replies"), no transfer or
#: repeating in a film's story, a handed-down recipe or small talk (review26 items 3-5).
#: v7: a transfer is of the customer or their call ("I was transferred", "they transferred me"),
#: not of money, files or weapons; "Never again, thanks to this gadget" is no vow; a book "hard
#: to get through", "refuse to accept that", "I will follow up", "no answering machine" and
#: "I have been told again and again" are no effort (issue #17).
#: v7 also: a text not read (a language the model does not read, no content) has no
#: effort (NULL), not the 0.0 of "no effort described" (review27 finding 4).
EFFORT_CUES = "effort-cues-v7"


def read_by_current_model(stored: str | None) -> bool:
    """Whether a stored reading was made by :data:`SENTIMENT_MODEL`.

    Parameters
    ----------
    stored
        The ``model`` of a ``text_features`` row: the sentiment model's name (with ``+`` and a
        user's embedder or a workspace calibration after it), ``;``, the emotion model's name,
        ``;``, the effort cues' version (:data:`EFFORT_CUES`; none before it was recorded).

    Returns
    -------
    bool
        False for a reading of an older model (or of none recorded).

    Examples
    --------
    >>> read_by_current_model(f"{SENTIMENT_MODEL}+workspace-0a1b2c; {EMOTION_MODEL}; {EFFORT_CUES}")
    True
    >>> read_by_current_model("real-sentiment-e5-v6; real-emotion-e5-v2")
    False
    """
    if not isinstance(stored, str):
        return False
    return stored.split(";", 1)[0].split("+", 1)[0].strip() == SENTIMENT_MODEL
