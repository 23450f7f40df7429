"""Which kinds of text (responses, mentions, notes) a calibration reads, and the sentence that
says so.

A calibration learns what one kind of text means (a CSAT comment "arrived late" is a
complaint) and can read another kind worse than the model alone: one fitted on Amazon CSAT
comments read TweetEval tweets at 0.344 accuracy, the model alone at 0.666 (the fourth audit,
item 5). Reading only the kinds it has labels of was not enough: five rated reviews imported as
mentions put all 2,000 tweets of a workspace back under the CSAT calibration, 0.715 -> 0.382
(review 23, item 1). So a kind is read through the calibration only when the calibration
learnt from enough texts of it (:func:`read_kinds`); the others are read by the model alone.
Taught labels (``text teach``) count as labels of their text's kind, one each: teaching is the
user's explicit act, but ten taught texts cannot show that a fit made mostly of another kind
reads theirs better than the model alone does, so they count as any label does.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

__all__ = [
    "MIN_KIND_LABELS",
    "kinds_scope",
    "of_source",
    "read_kinds",
    "read_options",
    "read_scope",
    "read_sources",
    "reads_text",
    "scope_change",
    "source_counts",
    "source_key",
    "source_name",
    "texts_of",
]

#: A kind of text is read through the calibration with at least this many labels of it (or
#: when it holds at least half of the labels: the fit is then mostly about it). 30 is where the
#: calibration starts comparing corrections by cross-validation at all
#: (:data:`~.calibration_cross_validation.MIN_HEAD_LABELS`): with fewer labels nothing it
#: measures says anything about the kind; at 30, a fall like review 23's (0.715 -> 0.382) is
#: several times the width of the labels' accuracy interval (about +-0.17 at 95%).
MIN_KIND_LABELS = 30


def read_kinds(kinds: Mapping[str, int]) -> dict[str, int]:
    """The kinds a calibration fitted on ``kinds`` reads: those with at least
    :data:`MIN_KIND_LABELS` labels, or at least half of its labels.

    Parameters
    ----------
    kinds
        The calibration's labels of each kind of text (its ``kinds_``; empty: fitted
        without kinds, and then it reads every kind).

    Returns
    -------
    dict of str to int
        The kinds it reads, with their labels, in the order of ``kinds``.
    """
    total = sum(kinds.values())
    return {
        kind: count
        for kind, count in kinds.items()
        if count >= MIN_KIND_LABELS or 2 * count >= total
    }


def source_key(value: object) -> str:
    """The source a calibration records and compares for a record's source value: stripped and
    case-folded ("Twitter " is twitter); "" for none (null, blank).

    Parameters
    ----------
    value
        The record's source column value (a mention's platform), or None.

    Returns
    -------
    str
        The key.
    """
    if value is None or (isinstance(value, float) and value != value):  # null, or NaN
        return ""
    return str(value).strip().casefold()


def source_counts(kinds: Sequence[str], sources: Sequence[object]) -> dict[str, dict[str, int]]:
    """The labels of each source of each kind that names one (a calibration's ``sources_``),
    in sorted order.

    Only kinds with a source column (a mention's platform) are counted: a response or a note
    is read as one whatever its record holds, so a fit once recorded ``{"response": {"": n}}``
    that nothing read (such fits are still read the same: :func:`read_sources` passes over
    those kinds).

    Parameters
    ----------
    kinds
        The kind of each labelled text.
    sources
        Its source value (a mention's platform; None: none), keyed by :func:`source_key`.

    Returns
    -------
    dict of str to dict of str to int
        Kind -> source -> labels, for the kinds with a source column.
    """
    counted: dict[str, dict[str, int]] = {}
    for kind, source in zip(kinds, sources, strict=True):
        of_kind = counted.setdefault(str(kind), {})
        key = source_key(source)
        of_kind[key] = of_kind.get(key, 0) + 1
    return _with_source_column(
        {kind: dict(sorted(counted[kind].items())) for kind in sorted(counted)}
    )


def read_sources(
    kinds: Mapping[str, int], sources: Mapping[str, Mapping[str, int]]
) -> dict[str, dict[str, int]]:
    """The sources of each kind a calibration fitted on ``kinds`` and ``sources`` reads.

    A source of a kind it reads (:func:`read_kinds`) is read with at least
    :data:`MIN_KIND_LABELS` labels, or half of the calibration's labels; or, when no source of
    the calibration has :data:`MIN_KIND_LABELS`, with any label.

    Parameters
    ----------
    kinds
        The calibration's labels of each kind (its ``kinds_``).
    sources
        Its labels of each source of each kind (its ``sources_``: kind -> :func:`source_key`
        -> labels); a kind absent from it is read whatever the source.

    Returns
    -------
    dict of str to dict of str to int
        For each kind read that recorded sources, the sources read with their labels.
    """
    total = sum(kinds.values())
    reads = read_kinds(kinds)
    sources = _with_source_column(sources)
    small = all(n < MIN_KIND_LABELS for counts in sources.values() for n in counts.values())
    return {
        kind: {
            source: n
            for source, n in counts.items()
            if n >= MIN_KIND_LABELS or 2 * n >= total or (small and n > 0)
        }
        for kind, counts in sources.items()
        if kind in reads
    }


def reads_text(
    kinds: Mapping[str, int],
    sources: Mapping[str, Mapping[str, int]],
    kind: str,
    source: object = None,
) -> bool:
    """Whether a calibration fitted on ``kinds`` and ``sources`` reads a text of ``kind`` from
    ``source``.

    Parameters
    ----------
    kinds, sources
        As for :func:`read_sources` (``kinds`` empty: fitted without kinds, it reads every
        text; ``sources`` empty: stored before sources were recorded, it reads by kind).
    kind
        The text's kind (``response``, ``mention``, ``note``).
    source
        The text's source value (a mention's platform; None: none).

    Returns
    -------
    bool
        True when the calibration reads it.
    """
    if not kinds:
        return True
    if kind not in read_kinds(kinds):
        return False
    if kind not in _with_source_column(sources):
        return True
    return source_key(source) in read_sources(kinds, sources).get(kind, {})


def read_scope(
    kinds: Mapping[str, int], sources: Mapping[str, Mapping[str, int]]
) -> dict[str, tuple[str, ...] | None]:
    """What a calibration fitted on ``kinds`` and ``sources`` reads, as a kept fit is compared
    by (:func:`scope_change`).

    Parameters
    ----------
    kinds, sources
        As for :func:`read_sources`.

    Returns
    -------
    dict of str to tuple of str or None
        Each kind it reads -> the sources of it read, sorted (None: every source, as of a kind
        without a source column, or one whose sources were not recorded).
    """
    read_from = read_sources(kinds, sources)
    return {
        kind: tuple(sorted(read_from[kind])) if kind in read_from else None
        for kind in sorted(read_kinds(kinds))
    }


def scope_change(
    old: tuple[Mapping[str, int], Mapping[str, Mapping[str, int]]],
    new: tuple[Mapping[str, int], Mapping[str, Mapping[str, int]]],
) -> str | None:
    """What a calibration fitted on the labels ``new`` would read that one fitted on ``old``
    does not, or the reverse: a kind, or a platform within mentions, reaching
    :data:`MIN_KIND_LABELS` labels or falling under them, or its labels moved to another
    platform. A stored fit is kept while its labels do not change materially; these changes
    are not material to the counts of each class (30 of 3,000 labels) yet put a platform's
    texts under the calibration or take them from it.

    Parameters
    ----------
    old, new
        Labels of each kind and of each source within a kind (``kinds``, ``sources`` as for
        :func:`read_sources`): when the fit was made, and now.

    Returns
    -------
    str or None
        As "the texts it would read changed: now mention from platform 'amazon'; no longer
        mention from platform 'shop'"; None when it would read the same texts.
    """
    before, after = _pairs(read_scope(*old)), _pairs(read_scope(*new))
    if before == after:
        return None
    parts = [
        f"{when} {', '.join(_named(pairs))}"
        for when, pairs in (("now", after - before), ("no longer", before - after))
        if pairs
    ]
    return f"the texts it would read changed: {'; '.join(parts)}"


def _pairs(scope: Mapping[str, tuple[str, ...] | None]) -> set[tuple[str, str | None]]:
    """(kind, source) of each source read, (kind, None) of a kind read whatever the source."""
    return {
        (kind, source)
        for kind, chosen in scope.items()
        for source in (chosen if chosen is not None else (None,))
    }


def _named(pairs: set[tuple[str, str | None]]) -> list[str]:
    """The kinds and sources of ``pairs`` in words, a kind's sources together."""
    by_kind: dict[str, list[str]] = {}
    said = []
    for kind, source in sorted(pairs, key=lambda pair: (pair[0], pair[1] or "")):
        if source is None:
            said.append(kind)
        else:
            by_kind.setdefault(kind, []).append(of_source(kind, source))
    return said + [f"{kind} {_listed(names)}" for kind, names in by_kind.items()]


def _with_source_column(
    sources: Mapping[str, Mapping[str, int]],
) -> dict[str, dict[str, int]]:
    """The recorded sources of the kinds whose texts name one (a mention's platform). A kind
    without a source column (a response, a note) is read as one whatever a fit recorded of it:
    a fit stored for a few hours on 2026-12-07 recorded a response's survey, and its texts,
    now read with no source, would all have been left to the model alone."""
    from advocacy.text.documents import DOCUMENT_SOURCES

    return {
        kind: dict(counts)
        for kind, counts in sources.items()
        if kind in DOCUMENT_SOURCES and DOCUMENT_SOURCES[kind].source_column is not None
    }


#: Sources named in a sentence, per kind (a workspace may hold dozens of platforms).
NAMED_SOURCES = 5
#: Characters of a source's name shown (a name is the user's data: any length).
SOURCE_NAME_CHARS = 40


def source_name(kind: str, source: str) -> str:
    """A source as a sentence names it: "platform 'twitter'", "no platform".

    Parameters
    ----------
    kind
        The kind of text (its source column names the source: a mention's platform).
    source
        The source (:func:`source_key`; "": none).

    Returns
    -------
    str
        The name, its value quoted and cut at :data:`SOURCE_NAME_CHARS` (it is the user's data).
    """
    from advocacy.text.documents import DOCUMENT_SOURCES

    known = DOCUMENT_SOURCES.get(kind)
    column = known.source_column if known is not None else None
    column = column or "source"
    if not source:
        return f"no {column}"
    shown = source if len(source) <= SOURCE_NAME_CHARS else source[:SOURCE_NAME_CHARS] + "…"
    return f"{column} {shown!r}"


def of_source(kind: str, source: str) -> str:
    """A source as it follows a kind's name: "from platform 'twitter'", "with no platform"
    (review27 #16g: "mention from no platform" was hard to read)."""
    name = source_name(kind, source)
    return f"with {name}" if not source else f"from {name}"


def texts_of(kind: str, count: int, sources: Mapping[str, int] | None = None) -> list[str]:
    """Stored texts of a kind in words, by source for a kind that names one: how many of a
    workspace's tweets a reading made, not only of its mentions.

    Parameters
    ----------
    kind
        The kind of text.
    count
        Its texts.
    sources
        Its texts of each source (:func:`source_key` -> texts; None or empty: not counted, or
        a kind without a source column; only ``""``: none names one, and they are not told
        apart).

    Returns
    -------
    list of str
        As ``["40 response texts"]``, or ``["30 mention texts from platform 'shop'", "3
        mention texts with no platform"]``: the :data:`NAMED_SOURCES` with most texts, then the
        others together ("12 mention texts from 3 other platforms").

    Examples
    --------
    >>> texts_of("mention", 33, {"shop": 30, "twitter": 3})
    ["30 mention texts from platform 'shop'", "3 mention texts from platform 'twitter'"]
    >>> texts_of("response", 1)
    ['1 response text']
    """
    from advocacy.text.documents import DOCUMENT_SOURCES

    def texts(n: int) -> str:
        return f"{n:,} {kind} text{'' if n == 1 else 's'}"

    column = DOCUMENT_SOURCES[kind].source_column if kind in DOCUMENT_SOURCES else None
    if not sources or column is None or set(sources) == {""}:  # none named: nothing to tell
        return [texts(count)]
    ranked = sorted(sources.items(), key=lambda item: (-item[1], item[0]))
    said = [f"{texts(n)} {of_source(kind, s)}" for s, n in ranked[:NAMED_SOURCES]]
    rest = ranked[NAMED_SOURCES:]
    if rest:
        said.append(f"{texts(sum(n for _, n in rest))} from {len(rest):,} other {column}s")
    return said


def read_options(kinds: Mapping[str, int], sources: Mapping[str, Mapping[str, int]]) -> list[str]:
    """The ``text evaluate`` options (``--kind``, and ``--platform`` for mentions: the
    kind's source column) of the texts a calibration reads, its most labelled sources first
    (at most :data:`NAMED_SOURCES` per kind).

    Parameters
    ----------
    kinds, sources
        As for :func:`read_sources`.

    Returns
    -------
    list of str
        As ``["--kind mentions --platform amazon", "--kind responses"]``; empty when it reads
        every kind (fitted without kinds).
    """
    import shlex

    from advocacy.text.documents import DOCUMENT_SOURCES

    read_from = read_sources(kinds, sources)
    options = []
    for kind in read_kinds(kinds):
        if kind not in DOCUMENT_SOURCES:
            continue
        known = DOCUMENT_SOURCES[kind]
        option = f"--kind {known.table}"
        if kind not in sources or known.source_column is None:
            options.append(option)
            continue
        chosen = sorted(read_from.get(kind, {}).items(), key=lambda item: (-item[1], item[0]))
        options += [
            option + (f" --{known.source_column} {shlex.quote(source)}" if source else "")
            for source, _ in chosen[:NAMED_SOURCES]
        ]
    return options


def _listed(items: list[str]) -> str:
    if len(items) <= NAMED_SOURCES:
        return ", ".join(items)
    return ", ".join(items[:NAMED_SOURCES]) + f" and {len(items) - NAMED_SOURCES:,} more"


def _labels(count: int) -> str:
    return f"{count:,} label{'' if count == 1 else 's'}"


def kinds_scope(
    kinds: Mapping[str, int], sources: Mapping[str, Mapping[str, int]] | None = None
) -> str:
    """What a calibration fitted on ``kinds`` reads, and what it leaves to the model alone.

    Parameters
    ----------
    kinds
        The calibration's labels of each kind of text (not empty).
    sources
        Its labels of each source of each kind (its ``sources_``; None or empty: not
        recorded, and the sentence names kinds only).

    Returns
    -------
    str
        As "it reads response (3,000 labels); too few labels of mention (5 labels), read by
        the model alone; a kind of text needs 30 labels, or half of the calibration's, to be
        read by it (other kinds: by the model alone)"; with sources, as "it reads response
        (3,000 labels), mention from platform 'amazon' (30 labels); too few labels of mention
        from platform 'twitter' (5 labels), read by the model alone; ...".
    """
    if sources and _with_source_column(sources):
        return _sources_scope(kinds, sources)
    reads = read_kinds(kinds)
    read = ", ".join(f"{kind} ({count:,} labels)" for kind, count in reads.items())
    few = ", ".join(
        f"{kind} ({count:,} label{'' if count == 1 else 's'})"
        for kind, count in kinds.items()
        if kind not in reads
    )
    scope = f"it reads {read}"
    if few:
        scope += f"; too few labels of {few}, read by the model alone"
    return (
        f"{scope}; a kind of text needs {MIN_KIND_LABELS} labels, or half of the "
        "calibration's, to be read by it (other kinds: by the model alone)"
    )


def _sources_scope(kinds: Mapping[str, int], sources: Mapping[str, Mapping[str, int]]) -> str:
    """:func:`kinds_scope` of a calibration that recorded its labels' sources."""
    from advocacy.text.documents import DOCUMENT_SOURCES

    reads = read_kinds(kinds)
    read_from = read_sources(kinds, sources)
    read, few = [], []
    for kind, count in kinds.items():
        if kind not in reads:
            few.append(f"{kind} ({_labels(count)})")
            continue
        counts = sources.get(kind, {})
        known = DOCUMENT_SOURCES.get(kind)
        if kind not in sources or known is None or known.source_column is None:
            # No source to name (notes): its one source, "", is read as the kind is.
            read.append(f"{kind} ({_labels(count)})")
            continue
        chosen = read_from.get(kind, {})
        if chosen:
            named = _listed([f"{of_source(kind, s)} ({_labels(n)})" for s, n in chosen.items()])
            read.append(f"{kind} {named}")
        left = [f"{of_source(kind, s)} ({_labels(n)})" for s, n in counts.items()
                if s not in chosen]  # fmt: skip
        if left:
            few.append(f"{kind} {_listed(left)}")
    scope = f"it reads {', '.join(read)}" if read else "it reads no text"
    if few:
        scope += f"; too few labels of {'; '.join(few)}, read by the model alone"
    return (
        f"{scope}; a kind of text, and within mentions a platform, needs {MIN_KIND_LABELS} "
        f"labels, or half of the calibration's, to "
        f"be read by it (while no source has {MIN_KIND_LABELS}: any it has labels of); other "
        "texts are read by the model alone"
    )
