"""``advocacy text analyze|teach|themes|discover-themes|assign-themes|promote-theme``.

Thin layers over the ``ws.text`` methods of the same names. The old ``advocacy themes
list|discover|assign|promote`` still run, with a warning.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Mapping, Sequence
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from advocacy import display
from advocacy.present.cli.app import (
    _CREATE,
    app,
    error_console,
    open_workspace,
    refuse_db_on_spark,
    say,
)
from advocacy.present.cli.options import (
    DataOption,
    DbOption,
    Engine,
    EngineOption,
    FormatOption,
    OutputFormat,
    SparkMasterOption,
    spark_folders,
)
from advocacy.present.cli.output import Column, emit_object, emit_rows, field
from advocacy.present.cli.progress import stage_progress
from advocacy.settings import current_settings

if TYPE_CHECKING:
    from advocacy.workspace import Workspace

text_app = typer.Typer(
    help="Analyse texts (sentiment, emotion, effort, language); discover, curate and measure "
    "their themes.",
    no_args_is_help=True,
)
app.add_typer(text_app, name="text")

KindOption = Annotated[
    list[str] | None,
    typer.Option(
        "--kind",
        help="Document kinds to include (repeatable): response, mention, note, employee-response.",
    ),
]


@text_app.command("analyze")
def analyze_command(
    ctx: typer.Context,
    kind: KindOption = None,
    calibrate: Annotated[
        bool | None,
        typer.Option(
            "--calibrate/--no-calibrate",
            help="Calibrate sentiment on scored comments and taught labels (default: when "
            "there are enough).",
        ),
    ] = None,
    recalibrate: Annotated[
        bool,
        typer.Option(
            "--recalibrate",
            help="Refit the sentiment calibration even if its labels changed too little to "
            "refit on their own (any taught label, or 10% of the scored comments).",
        ),
    ] = False,
    workers: Annotated[
        int | None,
        typer.Option(
            "--workers",
            min=0,
            help="Processes to read on and fit the calibration on (default: the text_workers "
            "setting; 0: the cores available). The results are the same for any count.",
        ),
    ] = None,
    taxonomy: Annotated[
        Path | None,
        typer.Option(
            "--taxonomy",
            help="Then assign this taxonomy's themes to every text, in the same run (as "
            "text assign-themes does), and remember it for later runs.",
        ),
    ] = None,
    threshold: Annotated[
        float | None,
        typer.Option(
            "--threshold",
            help=(
                "With --taxonomy: least score (0-1) at which meaning assigns a theme "
                "(similarity to its description, or the self-trained probability)."
            ),
        ),
    ] = None,
    engine: EngineOption = Engine.workspace,
    data: DataOption = None,
    out: Annotated[
        Path | None,
        typer.Option("--out", help="With --engine spark: folder to write text_features.parquet."),
    ] = None,
    spark_master: SparkMasterOption = None,
    output: FormatOption = OutputFormat.table,
    db: DbOption = None,
) -> None:
    """Analyse new and changed texts (incremental; re-runs skip unchanged texts).

    When the run fits the sentiment calibration, the summary says how good it is in
    cross-validation, as text teach does.

    Texts in a language the model does not read get no sentiment (reason "language not
    supported"), and survey non-answers ("n/a", "nothing") none either (reason "no content");
    the summary counts both among the texts this run read, and among all the workspace's
    stored texts ("not read in the workspace": a re-run that reads nothing new still says how
    many the model does not read). With --engine spark, every text of the Parquet tables in --data
    is analysed on Spark with the same model and calibration, into --out/text_features.parquet.

    With --taxonomy FILE, every text is then assigned to the taxonomy's themes in the same
    process (the same themes as text assign-themes after text analyze, without loading the
    models twice), and the table per theme follows the summary (with --format json, under
    "themes"). The workspace remembers the taxonomy last assigned (by either command): a later
    text analyze that reads any new or changed text (or follows a text teach of themes)
    assigns it again, with its threshold, to every text (themes learn from all the texts
    together); each text's reading for the themes is kept in the workspace, so only the new
    or changed texts are read again (with 600 new texts beside 11,400, the themes of all
    12,000 take about 2 CPU s, where reading every text took 5 to 7); the file is not read
    again, so after editing it, give it again.
    """
    if threshold is not None and taxonomy is None:
        raise typer.BadParameter(
            "give the taxonomy too (--taxonomy FILE)", param_hint="--threshold"
        )
    if engine is Engine.spark:
        if taxonomy is not None:
            raise typer.BadParameter(
                "themes are assigned in a workspace; with --engine spark, analyse, then "
                "assign-themes in a workspace",
                param_hint="--taxonomy",
            )
        refuse_db_on_spark(ctx)
        themes = None
        data, out = spark_folders(data, out, "text_features.parquet")
        from advocacy.namespaces.text import parquet_text_features

        features = parquet_text_features(
            data,
            out,
            kinds=kind,
            calibrate=calibrate,
            model=current_settings().text_model,
            master=spark_master,
        )
        summary = features.summary()
    else:
        with (
            open_workspace(db) as ws,
            stage_progress("texts", show=output is OutputFormat.table) as progress,
        ):
            result = ws.text.analyze(
                kinds=kind,
                calibrate=calibrate,
                recalibrate=recalibrate,
                progress=progress,
                workers=workers,
                taxonomy=taxonomy,
                threshold=threshold,
            )
            summary, themes = result.summary(), result.themes
            if result.calibration.startswith(("fitted", "refitted")):
                # A new fit: how good it is, as text teach says (the method is in the model).
                report = ws.text.calibration_report(of=result)
                summary |= {
                    key: value
                    for key, value in report.items()
                    if key not in {"calibration", "calibration status"}
                }
    if output is not OutputFormat.json:
        for key in ("not supported by language", "not supported by language (this run)"):
            if key not in summary:
                continue
            by_language = summary[key]
            summary[key] = _languages(by_language)
            if not by_language:  # no empty row when every text is in a language it reads
                del summary[key]
        from advocacy.namespaces.text import CUT_FOR_THEMES

        if summary.get(CUT_FOR_THEMES):
            summary[CUT_FOR_THEMES] = _cut_words(int(summary[CUT_FOR_THEMES]))
        else:  # no row when no text was cut
            summary.pop(CUT_FOR_THEMES, None)
        if "not read in the workspace" in summary:
            summary["not read in the workspace"] = _not_read_words(
                summary["not read in the workspace"]
            )
    rows = [] if themes is None else themes.to_dict("records")
    if themes is not None and output is OutputFormat.json:
        summary["themes"] = rows  # one JSON document: the themes' rows inside the summary
    emit_object(summary, output, title="Text analysis")
    if themes is not None and output is OutputFormat.table:
        emit_rows(rows, output, title="Curated themes", view=_assigned_view(rows))
    if taxonomy is not None:
        _warn_name_only(taxonomy)


def _cut_words(count: int) -> str:
    """The texts cut for themes in words, as "2 texts longer than 1,000,000 characters: their
    themes are read from the first 1,000,000 only"."""
    from advocacy.namespaces.text import THEME_CHARACTERS

    texts = "text" if count == 1 else "texts"
    return (
        f"{count:,} {texts} longer than {THEME_CHARACTERS:,} characters: their themes are read "
        f"from the first {THEME_CHARACTERS:,} only"
    )


def _languages(by_language: dict[str, int]) -> str:
    """Language counts in words, as "pt 2,530, es 2"."""
    return ", ".join(f"{code} {count:,}" for code, count in by_language.items())


def _not_read_words(stored: dict[str, Any]) -> str:
    """The workspace's unread texts in words, as "2,547 of 2,562 stored texts: language not
    supported 2,532 (pt 2,530, es 2); non-answers 15"."""
    total = int(stored["stored texts"])
    unsupported, empty = int(stored["language not supported"]), int(stored["non-answers"])
    if not unsupported + empty:
        return f"none of {total:,} stored text{'' if total == 1 else 's'}"
    parts = []
    if unsupported:
        parts.append(
            f"language not supported {unsupported:,} "
            f"({_languages(stored['not supported by language'])})"
        )
    if empty:
        parts.append(f"non-answers {empty:,}")
    return f"{unsupported + empty:,} of {total:,} stored texts: " + "; ".join(parts)


@text_app.command("teach")
def teach_command(
    file: Annotated[
        Path,
        typer.Argument(
            help="CSV with document_id, kind, and sentiment and/or theme columns; or a labelled "
            "file as imported (its column of negative/neutral/positive labels, in any case, "
            "neg/neu/pos too, found as text evaluate finds it; other values are left out and "
            "counted)."
        ),
    ],
    output: FormatOption = OutputFormat.table,
    db: DbOption = None,
) -> None:
    """Teach sentiment and theme labels; the next analyze re-calibrates on them.

    Sentiment labels count from the first one, together with the labels that scores imply
    (NPS 0-6/7-8/9-10; CSAT, CES, ratings and review stars of up to 8 points: the bottom two
    points negative, the top two positive; a scale of 9-11 points, as 1-10, by the NPS bands:
    1-6 negative, 9-10 positive). The output says how the calibration uses them: a few adjust
    the model, more fit a correction chosen by cross-validated accuracy, never one less accurate
    than the model. It gives that accuracy beside the model alone's, each class's
    cross-validated recall for both (a more accurate choice can find fewer negatives), on how
    many labels, and which labels were left out and why. To measure the reading on labelled
    texts it did not learn from, use text evaluate.
    """
    with open_workspace(db) as ws:
        result = ws.text.teach(file)
        report = ws.text.calibration_report()
    summary: dict[str, Any] = {
        "sentiment labels": result.sentiment_labels,
        "theme labels": result.theme_labels,
        **report,
    }
    if result.notes:
        summary["notes"] = list(result.notes)
    emit_object(summary, output, title="Taught labels")


class EvaluationModel(StrEnum):
    """What ``text evaluate`` reads with."""

    workspace = "workspace"
    generic = "generic"


@text_app.command("evaluate")
def evaluate_command(
    file: Annotated[
        Path,
        typer.Argument(
            help="A labelled CSV/TSV/XLSX/JSON/Parquet file: texts beside a column of "
            "negative/neutral/positive, or of ratings (1-5 stars: 1-2 negative, 3 neutral, "
            "4-5 positive; NPS 0-6, 7-8, 9-10)."
        ),
    ],
    kind: Annotated[
        str,
        typer.Option(
            "--kind",
            help="Read the file as advocacy import --kind would: mentions, responses or notes.",
        ),
    ] = "mentions",
    platform: Annotated[
        str | None,
        typer.Option(
            "--platform",
            help="With --kind mentions: the platform the file's posts are from, as the "
            "workspace would record it (twitter, amazon; default: none). The calibration reads "
            "only the platforms it has enough labels of.",
        ),
    ] = None,
    labels: Annotated[
        str | None,
        typer.Option(
            "--labels",
            help="The column of labels or ratings (default: the column of "
            "negative/neutral/positive values, else the rating or NPS column).",
        ),
    ] = None,
    scale: Annotated[
        str | None,
        typer.Option(
            "--scale",
            help="The ratings' scale as LOW-HIGH, as 1-10 (default: 0-10 for an NPS, else "
            "guessed from the ratings' range and said in a note). 0-2 reads class ids 0/1/2 as "
            "negative/neutral/positive.",
        ),
    ] = None,
    text: Annotated[
        str | None,
        typer.Option("--text", help="The column of texts (default: the one import detects)."),
    ] = None,
    model: Annotated[
        EvaluationModel,
        typer.Option(
            "--model",
            help="workspace: the calibrated reading text analyze stores; generic: the shipped "
            "model alone.",
        ),
    ] = EvaluationModel.workspace,
    workers: Annotated[
        int | None,
        typer.Option(
            "--workers",
            min=0,
            help="Processes to read on (default: the text_workers setting; 0: the cores "
            "available). The results are the same for any count.",
        ),
    ] = None,
    output: FormatOption = OutputFormat.table,
    db: DbOption = None,
) -> None:
    """Measure the sentiment reading on your own labelled file, without learning from it.

    The file is read as import reads it but neither imported nor taught, and nothing is
    written to the workspace. Prints the labels the file gave per class, accuracy (with its
    Wilson interval), macro-F1 (with a 95% percentile bootstrap interval: 1,000 draws of the
    scored texts, each class drawn within itself, seed 0), each class's precision, recall
    (with Wilson intervals) and count (a class under 30 texts marked "few"), the confusion
    matrix and the majority-class baseline. Each row not scored is counted under one reason:
    no usable label (a value none of negative/neutral/positive, a rating off the scale, an
    unreadable record), not read (language not supported, no content), word for word a text
    of a public set the shipped model learnt from (such as TweetEval's or the Women's clothing
    reviews, found by a hash of each: scored apart, with their own accuracy), or held by the
    workspace with a label (taught, or by their score: the calibration learnt from them,
    which flatters its reading); the notes say which column and scale gave the labels. The
    calibration reads only the kinds of text it has enough labels of (30, or half of its
    labels): a file read as another --kind is read by the model alone, as text analyze reads
    such texts; so is a file of mentions from a --platform it has too few labels of (30, or
    half of its labels; any with labels while none has 30); a calibrated reading is
    shown beside the model alone's accuracy and macro-F1 on the same rows.
    """
    with _open_to_read(db) as ws:
        result = ws.text.evaluate(
            file,
            kind=kind,
            platform=platform,
            labels=labels,
            text=text,
            scale=scale,
            model=model.value,
            workers=workers,
        )
    summary = result.summary()
    if output is OutputFormat.json:
        emit_object(summary, output)
        return
    if output is OutputFormat.csv:
        emit_rows(_evaluation_rows(summary), output)
        return
    emit_object(_evaluation_fields(summary), output, title="Sentiment evaluation")
    for note in summary["notes"]:
        say(f"note: {note}")
    if not summary["scored"]:
        return
    emit_rows(
        [
            {
                "sentiment": score["sentiment"],
                "labels": f"{score['n']:,} (few)" if score["few"] else score["n"],
                "read as it": score["read"],
                "precision": _with_interval(score["precision"], score["precision interval"]),
                "recall": _with_interval(score["recall"], score["recall interval"]),
                "F1": _measure(score["f1"]),
            }
            for score in summary["classes"]
        ],
        output,
        title="By class",
    )
    emit_rows(
        [
            {"label": label, **{f"read {name}": count for name, count in read.items()}}
            for label, read in summary["confusion"].items()
        ],
        output,
        title="Confusion: labels (rows) as read (columns)",
    )


def _open_to_read(db: str | None) -> Workspace:
    """The workspace ``--db`` names, opened to read only where the database allows it: a
    DuckDB file takes one writing process or any number of reading ones, so evaluations run
    side by side on one file (:func:`advocacy.open`'s ``read_only``)."""
    import advocacy

    return advocacy.open(db, create=_CREATE.get(), read_only=True)


def _measure(value: float | None) -> str:
    return "–" if value is None else f"{value:.3f}"


def _with_interval(value: float | None, interval: list[float] | None) -> str:
    """A score with its interval, as ``0.712 [0.671, 0.750]``."""
    if value is None or interval is None:
        return _measure(value)
    return f"{value:.3f} [{interval[0]:.3f}, {interval[1]:.3f}]"


def _evaluation_fields(summary: dict[str, Any]) -> dict[str, Any]:
    """The evaluation's headline fields as people read them."""
    low, high = summary["accuracy interval"]
    left = dict(summary["left out"])
    by_language = ", ".join(
        f"{code} {count:,}" for code, count in summary["not supported by language"].items()
    )
    left_out = "; ".join(
        f"{reason} {count:,}"
        + (f" ({by_language})" if reason == "language not supported" and by_language else "")
        for reason, count in left.items()
    )
    majority = summary["majority class"]
    return {
        "file": summary["file"],
        "labels": summary["labels"],
        "model": summary["model"],
        "calibration": summary["calibration"],
        "labels in the file": ", ".join(
            f"{name} {count:,}" for name, count in summary["labels in the file"].items()
        ),
        "rows": summary["rows"],
        "scored": summary["scored"],
        "accuracy": "–"
        if summary["accuracy"] is None
        else f"{summary['accuracy']:.3f} [{low:.3f}, {high:.3f}] "
        f"({summary['confidence']:.0%} interval)",
        "macro-F1": _with_interval(summary["macro-F1"], summary["macro-F1 interval"]),
        "macro recall": _measure(summary["macro recall"]),
        **_model_alone_field(summary),
        "majority class": ""
        if majority is None
        else f"{majority}: accuracy {_measure(summary['majority-class accuracy'])}, "
        f"macro-F1 {_measure(summary['majority-class macro-F1'])}",
        "left out": left_out or "none",
        "intervals": f"{summary['confidence']:.0%}; accuracy, precision, recall: "
        f"{summary['interval method']['accuracy, precision, recall']}; macro-F1: "
        f"{summary['interval method']['macro-F1']}",
    }


def _model_alone_field(summary: dict[str, Any]) -> dict[str, str]:
    """What the calibration was fitted on and the model alone's scores on the same rows, beside
    the calibrated ones (none when the model alone read the file)."""
    found = {}
    if summary["calibration fitted on"]:
        found["calibration fitted on"] = ", ".join(
            f"{kind} {count:,} labels" for kind, count in summary["calibration fitted on"].items()
        )
    alone = summary["model alone"]
    if alone is not None and alone["accuracy"] is not None:
        low, high = alone["accuracy interval"]
        found["model alone"] = (
            f"accuracy {alone['accuracy']:.3f} [{low:.3f}, {high:.3f}], macro-F1 "
            f"{_with_interval(alone['macro-F1'], alone['macro-F1 interval'])} (the same rows)"
        )
    return found


def _evaluation_rows(summary: dict[str, Any]) -> list[dict[str, Any]]:
    """The evaluation as CSV rows: one measure (of a class, or of the whole file) a row,
    after what the numbers are of (file, labels, model, calibration) and before the notes."""
    rows: list[dict[str, Any]] = [
        {"measure": name, "sentiment": "", "value": summary[name]}
        for name in ("file", "labels", "model", "calibration")
    ]
    for name, count in summary["labels in the file"].items():
        rows.append({"measure": "labels in the file", "sentiment": name, "value": count})
    for name in ("rows", "scored", "accuracy", "macro-F1", "macro recall"):
        rows.append({"measure": name, "sentiment": "", "value": summary[name]})
    for name in ("accuracy", "macro-F1"):
        low, high = summary[f"{name} interval"] or (None, None)
        rows.append({"measure": f"{name} low", "sentiment": "", "value": low})
        rows.append({"measure": f"{name} high", "sentiment": "", "value": high})
    rows.append({"measure": "confidence", "sentiment": "", "value": summary["confidence"]})
    for measures, method in summary["interval method"].items():
        rows.append({"measure": f"interval of {measures}", "sentiment": "", "value": method})
    rows.append(
        {"measure": "majority-class accuracy", "sentiment": summary["majority class"] or "",
         "value": summary["majority-class accuracy"]}
    )  # fmt: skip
    rows.append(
        {"measure": "majority-class macro-F1", "sentiment": summary["majority class"] or "",
         "value": summary["majority-class macro-F1"]}
    )  # fmt: skip
    for score in summary["classes"]:
        for measure in ("n", "few", "read", "precision", "recall", "f1"):
            rows.append(
                {"measure": measure, "sentiment": score["sentiment"], "value": score[measure]}
            )
            if measure in ("precision", "recall"):
                low, high = score[f"{measure} interval"] or (None, None)
                for end, value in (("low", low), ("high", high)):
                    rows.append(
                        {"measure": f"{measure} {end}", "sentiment": score["sentiment"],
                         "value": value}
                    )  # fmt: skip
    for label, read in summary["confusion"].items():
        for name, count in read.items():
            rows.append({"measure": f"read {name}", "sentiment": label, "value": count})
    for reason, count in summary["left out"].items():
        rows.append({"measure": f"left out: {reason}", "sentiment": "", "value": count})
    for code, count in summary["not supported by language"].items():
        rows.append({"measure": f"language not supported: {code}", "sentiment": "", "value": count})
    trained = summary["trained the shipped model"]
    for name, count in trained["by set"].items():
        rows.append({"measure": f"trained the shipped model: {name}", "sentiment": "",
                     "value": count})  # fmt: skip
    if trained["by set"]:
        rows.append({"measure": "accuracy on the texts that trained the shipped model",
                     "sentiment": "", "value": trained["accuracy"]})  # fmt: skip
    for note in summary["notes"]:
        rows.append({"measure": "note", "sentiment": "", "value": note})
    return rows


def _score_mixes(ws: Any, frame: Any) -> dict[str, Any]:
    """What the writers' scores imply for each theme of ``frame`` mostly not read (another
    language), as the report's and the web's cards say it."""
    from advocacy.report.sections.theme_scores import mostly_unread, unread_score_mixes

    return unread_score_mixes(ws, mostly_unread(frame))


def _theme_rows(
    frame: Any, output: OutputFormat, scores: Mapping[str, Any] | None = None
) -> list[dict[str, Any]]:
    """Full rows for json/csv; for the terminal table a compact view without quotes. A theme
    mostly not read carries what its writers' ``scores`` imply (``by_scores``)."""
    from advocacy.namespaces.text import RATING_COLUMNS, redact, shorten

    rows = []
    for record in frame.to_dict("records"):
        quotes = record.get("quotes") or []
        mix = record.get("sentiment_mix")
        mix = mix if isinstance(mix, dict) else {}
        implied = (scores or {}).get(str(record["theme_id"]))
        rows.append(
            {
                "theme_id": record["theme_id"],
                "name": record["name"],
                "origin": record["origin"],
                "size": record["size"],
                # How many of its texts its keywords gave it, how many meaning alone (a curated
                # theme's; empty for a discovered one).
                **{name: _count_field(record, name) for name in SOURCE_FIELDS},
                "sentiment": ", ".join(f"{k} {v:.0%}" for k, v in mix.items()),
                "by_scores": ""
                if implied is None
                else ", ".join(f"{k} {v:.0%}" for k, v in implied[0].items())
                + f" (of {implied[1]:,} with a score)",
                "nps_mentioning": record.get("nps_mentioning"),
                "nps_not": record.get("nps_not"),
                "effect": record.get("effect"),
                "effect_low": record.get("effect_low"),
                "effect_high": record.get("effect_high"),
                # Without an NPS: the effect on the survey's CSAT, else CES (ws.text.themes).
                "outcome": record.get("outcome"),
                "outcome_mentioning": record.get("outcome_mentioning"),
                "outcome_not": record.get("outcome_not"),
                "outcome_effect": record.get("outcome_effect"),
                "outcome_effect_low": record.get("outcome_effect_low"),
                "outcome_effect_high": record.get("outcome_effect_high"),
                # Reviews without either: the effect on their rating (ws.text.themes).
                **{name: _rating_field(record, name) for name in RATING_COLUMNS},
                "quarter": record.get("quarter"),
                "change_points": record.get("change_points"),
                "change_low": record.get("change_low"),
                "change_high": record.get("change_high"),
                "emerging": record.get("emerging"),
                "quote": shorten(redact(quotes[0]) or "", 140) if quotes else "",
            }
        )
    if output is not OutputFormat.table:
        return rows
    compact = []
    for row in rows:
        shown = _interval(row["effect"], row["effect_low"], row["effect_high"])
        nps_in, nps_out = row["nps_mentioning"], row["nps_not"]
        share_in, share_out = row["outcome_mentioning"], row["outcome_not"]
        compact.append(
            {
                "theme_id": row["theme_id"],
                "name": row["name"],
                "size": row["size"],
                "by meaning alone": ""
                if row["by_meaning"] is None
                else f"{display.number(row['by_meaning'])} of {display.number(row['size'])}",
                "sentiment": row["sentiment"]
                + (f"; by their scores: {row['by_scores']}" if row["by_scores"] else ""),
                "NPS in/out": ""
                if nps_in is None or nps_in != nps_in
                else f"{display.number(nps_in, 0)} / {display.number(nps_out, 0)}",
                "NPS points": shown,
                "outcome": row["outcome"] if isinstance(row["outcome"], str) else None,
                "outcome points": _interval(
                    row["outcome_effect"], row["outcome_effect_low"], row["outcome_effect_high"]
                ),
                "outcome in/out": ""
                if display.missing(share_in)
                else f"{display.number(share_in, 0)}% / {display.number(share_out, 0)}%",
                "rating points": _interval(
                    row["rating_effect"], row["rating_effect_low"], row["rating_effect_high"]
                ),
                "rating in/out": ""
                if display.missing(row["rating_mentioning"])
                else f"{display.number(row['rating_mentioning'], 1)} / "
                f"{display.number(row['rating_not'], 1)}",
                "vs last quarter": _trend(row),
            }
        )
    return compact


def _interval(effect: Any, low: Any, high: Any) -> str:
    """``-29 [-33, -24]``: an effect in points with its interval ("" for none)."""
    if display.missing(effect):
        return ""
    digits = display.digits_for(low, high)
    return (
        f"{display.signed(effect, digits)} [{display.signed(low, digits)}, "
        f"{display.signed(high, digits)}]"
    )


def _trend(row: Mapping[str, Any]) -> str:
    """``2026 Q3: +12.5 [+1.2, +23.0] pts (emerging)``: the theme's share of the texts in the
    latest complete quarter against the quarter before, with its interval; "emerging" when it
    rose beyond chance (Holm over the themes, as the report marks it)."""
    change = row["change_points"]
    if display.missing(change):
        return ""
    low, high = row.get("change_low"), row.get("change_high")
    shown = f"{display.signed(change, 1)} pts"
    if not display.missing(low) and not display.missing(high):
        shown = (
            f"{display.signed(change, 1)} [{display.signed(low, 1)}, {display.signed(high, 1)}] pts"
        )
    quarter = row.get("quarter")
    where = f"{quarter}: " if isinstance(quarter, str) else ""
    return where + shown + (" (emerging)" if row.get("emerging") is True else "")


@text_app.command("discover-themes")
def discover_command(
    themes: Annotated[
        int | None, typer.Option("--themes", min=2, help="How many themes (default: by size).")
    ] = None,
    kind: KindOption = None,
    output: FormatOption = OutputFormat.table,
    db: DbOption = None,
) -> None:
    """Cluster texts into themes labelled by key phrases (replaces earlier discovered themes)."""
    with open_workspace(db) as ws:
        ws.text.discover_themes(n_themes=themes, kinds=kind)
        frame = ws.text.themes(origin="discovered")
        scores = _score_mixes(ws, frame)
        confidence = ws.settings.confidence
    rows = _theme_rows(frame, output, scores)
    emit_rows(rows, output, title="Discovered themes", view=_themes_view(rows, confidence))


@text_app.command("themes")
def themes_command(
    origin: Annotated[
        str | None, typer.Option("--origin", help="Only discovered or curated themes.")
    ] = None,
    output: FormatOption = OutputFormat.table,
    db: DbOption = None,
) -> None:
    """Themes with size, sentiment mix, and their effect: on NPS, else on the survey's CSAT or
    CES, else on the reviews' rating (as the report's and the web's cards); "vs last quarter"
    is the latest complete quarter's share against the one before."""
    with open_workspace(db) as ws:
        frame = ws.text.themes(origin=origin)
        scores = _score_mixes(ws, frame)
        confidence = ws.settings.confidence
    rows = _theme_rows(frame, output, scores)
    if not rows and output is OutputFormat.table:
        say(_NO_THEMES.format(kind=f"{origin} " if origin else ""))
        return
    emit_rows(rows, output, title="Themes", view=_themes_view(rows, confidence))


#: How a curated theme's texts came to it, in ``text themes`` --format json/csv: by a keyword,
#: by a user's teaching, by meaning alone (``ws.text.themes``; empty for a discovered theme).
SOURCE_FIELDS = ("by_keyword", "by_teaching", "by_meaning")


def _count_field(record: Mapping[str, Any], name: str) -> int | None:
    """A theme's count column as a whole number, None where it has none."""
    value: Any = record.get(name)
    return None if display.missing(value) else int(value)


def _rating_field(record: Mapping[str, Any], name: str) -> Any:
    """A theme's rating column, None where it has none, its counts as whole numbers."""
    value: Any = record.get(name)
    if display.missing(value):
        return None
    return int(value) if name.startswith("rating_n_") else value


#: What ``text themes`` says instead of an empty table (audit4 item 12).
_NO_THEMES = (
    "no {kind}themes yet: assign a taxonomy (advocacy text analyze --taxonomy FILE) or find "
    "themes in the texts (advocacy text discover-themes)"
)


#: The themes table: name, size and NPS effect with its interval always; the id goes first.
THEMES_VIEW = [
    field("name"),
    field("size"),
    field("by meaning alone", numeric=True, drop=1),
    field("NPS points", "NPS effect [95% interval]", numeric=True),
    field("sentiment", drop=3),
    field("NPS in/out", drop=2, numeric=True),
    field("vs last quarter", drop=1),
    field("theme_id", "theme id", drop=4),
]


def _themes_view(rows: Sequence[Mapping[str, Any]], confidence: float) -> list[Column]:
    """:data:`THEMES_VIEW`, without the NPS columns when no theme has an NPS (reviews alone):
    the room goes to the sentiment and what the scores imply; on a survey without NPS, the
    effect on its CSAT or CES takes their place, named so. The intervals' heading names
    ``confidence`` (the workspace's, which the listing used). "by meaning alone" (how many
    of a curated theme's texts no keyword gave it) is left out when no theme has it."""
    view = _with_confidence(THEMES_VIEW, confidence)
    if not any(row.get("by meaning alone") for row in rows):  # discovered themes alone
        view = [column for column in view if column.header != "by meaning alone"]
    if any(row.get("NPS points") or row.get("NPS in/out") for row in rows):
        return view
    view = [column for column in view if not column.header.startswith("NPS")]
    outcome = next((row["outcome"] for row in rows if row.get("outcome points")), None)
    if outcome is None and any(row.get("rating points") for row in rows):
        # Reviews: the rating effect the report leads with, then the sentiment (or what the
        # stars imply, for reviews not read) before the trend when the width runs short.
        interval = f"{display.percent(confidence, 0)} interval"
        later = {"sentiment": 1, "vs last quarter": 3}
        return [
            *view[:2],
            field("rating points", f"rating effect [{interval}]", numeric=True),
            *[
                dataclasses.replace(column, drop=later.get(column.header, column.drop))
                for column in view[2:]
            ],
            field("rating in/out", "mean rating in/out", drop=2, numeric=True),
        ]
    if outcome is None:
        return view
    from advocacy.report.sections.theme_findings import OUTCOME_NAMES

    metric, reached = OUTCOME_NAMES[outcome]
    interval = f"{display.percent(confidence, 0)} interval"
    return [
        *view[:2],
        field("outcome points", f"{metric} effect, points [{interval}]", numeric=True),
        view[2],
        field("outcome in/out", f"% who {reached.split(' (')[0]} in/out", drop=2, numeric=True),
        *view[3:],
    ]


def _with_confidence(view: Sequence[Column], confidence: float) -> list[Column]:
    """``view`` with its "[95% interval]" headings naming ``confidence`` instead."""
    interval = f"[{display.percent(confidence, 0)} interval]"
    return [
        dataclasses.replace(column, header=column.header.replace("[95% interval]", interval))
        for column in view
    ]


def _meaning_range(row: Mapping[str, Any]) -> str:
    """``0.21-0.83``: the range of the scores meaning gave a theme's texts ("" for none)."""
    low, high = row.get("meaning_low"), row.get("meaning_high")
    if display.missing(low) or display.missing(high):
        return ""
    return f"{low:.2f}" if low == high else f"{low:.2f}-{high:.2f}"


#: The assignment's table: per theme its size and how its texts came to it, so that a user sees
#: whether keywords or meaning fill a theme and what to steer (JSON and CSV keep every column).
ASSIGNED_VIEW = [
    field("name"),
    field("size", "texts", numeric=True),
    field("by_keyword", "by keyword", numeric=True),
    field("by_meaning", "by meaning alone", numeric=True),
    Column("meaning scores", _meaning_range, 1, True),
]


def _assigned_view(rows: Sequence[Mapping[Any, Any]]) -> list[Column]:
    """:data:`ASSIGNED_VIEW`, with "as a whole", "from sub-themes" (a parent's texts only its
    sub-themes gave it) and "parent" where a theme has one."""
    view = list(ASSIGNED_VIEW)
    if any(row.get("as_a_whole") for row in rows):
        view.append(field("as_a_whole", "as a whole", drop=2, numeric=True))
    if any(row.get("from_sub_themes") for row in rows):
        view.append(field("from_sub_themes", "from sub-themes", drop=2, numeric=True))
    if any(not display.missing(row.get("parent")) for row in rows):
        view.append(field("parent", drop=3))
    return view


@text_app.command("assign-themes")
def assign_command(
    taxonomy: Annotated[Path, typer.Option("--taxonomy", help="Taxonomy YAML file.")],
    threshold: Annotated[
        float | None,
        typer.Option(
            "--threshold",
            help=(
                "Least score (0-1) at which meaning assigns a theme (similarity to its "
                "description, or the self-trained probability)."
            ),
        ),
    ] = None,
    output: FormatOption = OutputFormat.table,
    db: DbOption = None,
) -> None:
    """Assign every text to the taxonomy's themes (multi-label; keywords and meaning).

    Per theme: its texts, how many came by a written keyword (or a word of its name) and how
    many by meaning alone, with the range of meaning's scores (0-1); a theme meaning fills is
    one to steer with keywords, a description or examples. A parent's texts that only its
    sub-themes gave it are counted apart ("from sub-themes").

    The workspace remembers the taxonomy and the threshold: a later text analyze that reads
    any new or changed text assigns them again (text analyze --taxonomy FILE does both at
    once).
    """
    with (
        open_workspace(db) as ws,
        stage_progress("texts", show=output is OutputFormat.table) as progress,
    ):
        counts = ws.text.assign_themes(taxonomy, threshold=threshold, progress=progress)
    rows = counts.to_dict("records")
    emit_rows(rows, output, title="Curated themes", view=_assigned_view(rows))
    _warn_name_only(taxonomy)


def _warn_name_only(taxonomy: Path) -> None:
    """Say what the file was read as where that differs from how it is written (keywords
    split at commas), and warn of each theme of ``taxonomy`` that only the meaning of its
    name assigns."""
    import advocacy

    loaded = advocacy.load_taxonomy(taxonomy)
    for note in loaded.notes:
        error_console.print(f"note: {note}", markup=False, highlight=False, soft_wrap=True)
    for name in loaded.name_only():
        error_console.print(
            f"warning: theme {name!r} is written as a name alone: the words of its name "
            "(its texts 'by keyword') and their meaning assign it; add keywords or a "
            "description to steer it",
            markup=False,
            highlight=False,
            soft_wrap=True,
        )


@text_app.command("promote-theme")
def promote_command(
    theme_id: Annotated[str, typer.Argument(help="A discovered theme id (see text themes).")],
    taxonomy: Annotated[
        Path, typer.Option("--taxonomy", help="Taxonomy YAML file (created if missing).")
    ],
    name: Annotated[str | None, typer.Option("--name", help="Name in the taxonomy.")] = None,
    output: FormatOption = OutputFormat.table,
    db: DbOption = None,
) -> None:
    """Add a discovered theme to the taxonomy file, with its key phrases and quotes.

    Its keywords are the key phrases specific to it (most texts that say one are in the
    theme; a phrase every theme says is left out and named); the file keeps every line and
    comment written in it (the theme is appended). The output says how many texts its
    keywords and name mark against its size when discovered: text assign-themes then adds
    the texts its meaning finds.
    """
    with open_workspace(db) as ws:
        promoted = ws.text.promote_theme(theme_id, taxonomy, name=name)
    data: dict[str, Any] = dict(promoted.theme.as_dict())
    data["left out (said as much by other themes' texts)"] = list(promoted.left_out)
    data["discovered"] = f"{promoted.discovered_id}: {promoted.discovered:,} texts"
    data["marked by its keywords and name"] = (
        f"{promoted.marked:,} texts, {promoted.marked_discovered:,} of the "
        f"{promoted.discovered:,} discovered (text assign-themes adds those its meaning finds)"
    )
    data["taxonomy file"] = f"{promoted.written} {taxonomy}"
    if output is not OutputFormat.json:
        # Quoted as written, accents and all ("não foi entregue", not "n\\u00e3o").
        data = {
            key: ", ".join(json.dumps(v, ensure_ascii=False) for v in value)
            if isinstance(value, list)
            else value
            for key, value in data.items()
        }
    emit_object(data, output)
