"""Benchmark: the heavy steps on DuckDB and on local Spark as the data grows (issue #20).

Generates, per size, N responses (60% with a comment, half with four rated items) and
3 x N transactions as Parquet, then runs four steps on each engine over the same files:

- ``metrics``: NPS and CSAT with intervals by unit x month (``experience_metrics``);
- ``text``: text enrichment of every comment, written as Parquet (Spark:
  ``parquet_text_features``; DuckDB: the same documents expression, the model run in this
  process in batches of 5,000), without the workspace's calibration;
- ``calibration`` (only when named in ``--steps``): the calibration's labelled comments
  selected by the engine and the calibration fitted on them in the driver, which the text
  step leaves out because its fit grows much faster than the number of labels;
- ``retention``: the per-customer frequency/recency/T summary (``summarize_transactions`` of
  the engine's table) collected to the driver;
- ``drivers``: the driver correlation matrix (``driver_moments``) and LMG from it.

Each engine and size runs in a fresh process, so the peak memory of a step is that process
tree's (the Python driver, and for Spark the JVM and its Python workers), sampled from /proc
every 0.2 s during the step. DuckDB reads the Parquet files in place (``read_parquet``), so
neither engine loads the data into a database first.

Run (sizes are responses; transactions are ``--transactions-per-response`` times that)::

    .venv/bin/python benchmarks/scale.py --sizes 100000,300000,1000000 --work /tmp/scale

and the results (one JSON object per engine, size and step) go to ``--results``
(default ``WORK/results.jsonl``); ``--table`` prints them as the Markdown of docs/scale.md.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

STEPS = ("metrics", "text", "retention", "drivers")
#: Not run by default: the fit grows much faster than the labels (see docs/scale.md).
OPTIONAL_STEPS = ("calibration",)
ENGINES = ("duckdb", "spark")
CHUNK = 500_000
UNITS = [f"store-{number:02d}" for number in range(20)]
ITEMS = ("Prompt service", "Staff knowledge", "Price", "Delivery on time")

# Comments are three parts drawn independently (about 24,000 different texts), so the model
# sees varied text rather than one sentence repeated; some are in other languages or non-answers.
OPENINGS = [
    "The delivery came two days late", "Staff were friendly and quick", "I waited an hour",
    "The sofa arrived damaged", "Great prices this month", "Nobody answered the phone",
    "The app kept crashing at checkout", "Lovely store and helpful people",
    "The refund took three weeks", "Installation was quick and tidy", "My order was wrong",
    "The assistant really knew the products", "Billing charged me twice",
    "Parking was impossible", "Everything went smoothly", "The chair broke after a week",
    "Returns were easy", "The website is confusing", "Delivery slot was respected",
    "Customer service was rude", "Good quality for the money", "The manual was missing pages",
    "They fixed it the same day", "I had to call four times", "The showroom looked great",
    "The invoice had errors", "Fast and friendly", "The table wobbles",
    "Helpful advice on colours", "Long queue at the till",
]  # fmt: skip
MIDDLES = [
    "", " and the driver was polite", " but nobody apologised", " and I will come back",
    " so I am disappointed", " which saved me time", " and the price was fair",
    " although the packaging was excessive", " and support solved it", " but it cost extra",
    " and my partner loved it", " yet the emails kept coming", " and the app helped",
    " but the store was understaffed", " and it matched the photos", " but the colour was off",
    " so we left", " and they called back", " but the wait was long", " and it was on time",
]  # fmt: skip
ENDINGS = [
    ".", "!", ". Thanks.", ". Not again.", ". Would recommend.", ". Please fix this.",
    ". Five stars.", ". Very annoying.", ". Keep it up.", ". Avoid.",
    ". Overall fine.", ". Really happy.", ". Never again!", ". Good job team.", "...",
    ". Mixed feelings.", ". Excellent.", ". Terrible.", ". OK I guess.", ". Brilliant service.",
    ". Slow.", ". Fair enough.", ". Love it.", ". Disappointing.", ". Sorted quickly.",
    ". Nice.", ". Meh.", ". Superb.", ". Awful experience.", ". Cheers.",
    ". Will tell my friends.", ". Could be better.", ". Impressed.", ". Not worth it.",
    ". As expected.", ". Happy customer.", ". Frustrating.", ". Smooth.", ". Quick fix.",
    ". Great team.",
]  # fmt: skip
OTHER_LANGUAGES = [
    "La livraison est arrivée en retard et personne n'a répondu.",
    "Sehr freundliche Beratung, gerne wieder.",
    "El sofá llegó dañado y nadie me ayudó.",
    "Consegna veloce e personale gentile.",
]
NON_ANSWERS = ["n/a", "nothing", "-", "no comment"]


# -- data -----------------------------------------------------------------------------------------
def _timestamps(rng: np.random.Generator, size: int) -> pa.Array:
    start = np.datetime64("2024-07-01T00:00:00", "us").astype(np.int64)
    seconds = rng.integers(0, 730 * 86400, size)
    return pa.array(start + seconds * 1_000_000, type=pa.timestamp("us", tz="UTC"))


def _comments(rng: np.random.Generator, size: int) -> list[str | None]:
    parts = (
        np.array(OPENINGS, dtype=object)[rng.integers(0, len(OPENINGS), size)]
        + np.array(MIDDLES, dtype=object)[rng.integers(0, len(MIDDLES), size)]
        + np.array(ENDINGS, dtype=object)[rng.integers(0, len(ENDINGS), size)]
    )
    kind = rng.random(size)
    parts = np.where(
        kind < 0.04,
        np.array(OTHER_LANGUAGES, dtype=object)[rng.integers(0, len(OTHER_LANGUAGES), size)],
        parts,
    )
    parts = np.where(
        (kind >= 0.04) & (kind < 0.07),
        np.array(NON_ANSWERS, dtype=object)[rng.integers(0, len(NON_ANSWERS), size)],
        parts,
    )
    return [
        None if empty else text for text, empty in zip(parts, rng.random(size) > 0.6, strict=True)
    ]


def generate(folder: Path, responses: int, per_response: int, seed: int = 20) -> dict[str, int]:
    """Write responses, response_items and transactions for ``responses`` to ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(seed)
    customers = max(responses // 2, 1)
    counts = {"responses": 0, "response_items": 0, "transactions": 0}
    writers: dict[str, pq.ParquetWriter] = {}

    def write(table: str, batch: pa.Table) -> None:
        if table not in writers:
            writers[table] = pq.ParquetWriter(folder / f"{table}.parquet", batch.schema)
        writers[table].write_table(batch)
        counts[table] += batch.num_rows

    for start in range(0, responses, CHUNK):
        size = min(CHUNK, responses - start)
        ids = np.arange(start, start + size)
        unit = rng.integers(0, len(UNITS), size)
        # Scores lean on the unit so slices differ; items move with the score (drivers).
        base = rng.normal(7.0 + (unit % 5) * 0.3, 2.2, size)
        nps = np.clip(np.rint(base), 0, 10).astype(np.int64)
        response_ids = pa.array([f"R{i:010d}" for i in ids])
        write(
            "responses",
            pa.table(
                {
                    "response_id": response_ids,
                    "customer_id": pa.array(
                        [f"C{c:09d}" for c in rng.integers(0, customers, size)]
                    ),
                    "submitted_at": _timestamps(rng, size),
                    "unit": pa.array(np.array(UNITS, dtype=object)[unit].tolist()),
                    "channel": pa.array(rng.choice(["email", "web", "sms"], size).tolist()),
                    "nps": pa.array(nps),
                    "csat": pa.array(np.clip(np.rint(base / 2), 1, 5).astype(float)),
                    "csat_scale_min": pa.array(np.ones(size, dtype=np.int64)),
                    "csat_scale_max": pa.array(np.full(size, 5, dtype=np.int64)),
                    "ces": pa.array(np.clip(np.rint(rng.normal(4.5, 1.5, size)), 1, 7)),
                    "ces_scale_min": pa.array(np.ones(size, dtype=np.int64)),
                    "ces_scale_max": pa.array(np.full(size, 7, dtype=np.int64)),
                    "touchpoint": pa.array(rng.choice(["store", "delivery", "web"], size).tolist()),
                    "comment": pa.array(_comments(rng, size), type=pa.string()),
                }
            ),
        )
        rated = ids[rng.random(size) < 0.5]
        rated_base = base[rated - start]
        for item_number, item in enumerate(ITEMS):
            noise = rng.normal(item_number * 0.2, 1.2, rated.size)
            values = np.clip(np.rint(rated_base * 0.6 + noise), 1, 7)
            write(
                "response_items",
                pa.table(
                    {
                        "response_id": pa.array([f"R{i:010d}" for i in rated]),
                        "item": pa.array([item] * rated.size),
                        "dimension": pa.array(["service"] * rated.size),
                        "kind": pa.array(["rating"] * rated.size),
                        "value": pa.array(values),
                        "scale_min": pa.array(np.ones(rated.size)),
                        "scale_max": pa.array(np.full(rated.size, 7.0)),
                    }
                ),
            )
        count = size * per_response
        # A few customers buy a lot (Pareto): the per-customer summary has a long tail.
        buyer = np.minimum(
            (rng.pareto(1.5, count) * customers / 20).astype(np.int64), customers - 1
        )
        write(
            "transactions",
            pa.table(
                {
                    "transaction_id": pa.array(
                        [f"T{start * per_response + i:011d}" for i in range(count)]
                    ),
                    "customer_id": pa.array([f"C{c:09d}" for c in buyer]),
                    "occurred_at": _timestamps(rng, count),
                    "amount": pa.array(np.round(rng.lognormal(3.5, 0.8, count), 2)),
                }
            ),
        )
    for writer in writers.values():
        writer.close()
    return counts


# -- memory ---------------------------------------------------------------------------------------
def _stats() -> dict[int, list[str]]:
    """The fields after the command name of every process's /proc/PID/stat."""
    found: dict[int, list[str]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                found[int(entry)] = (
                    Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[1].split()
                )
            except (OSError, IndexError):
                continue
    return found


def _tree(root: int, stats: dict[int, list[str]]) -> set[int]:
    parents = {pid: int(fields[1]) for pid, fields in stats.items()}
    tree, frontier = {root}, [root]
    while frontier:
        parent = frontier.pop()
        children = [pid for pid, ppid in parents.items() if ppid == parent and pid not in tree]
        tree.update(children)
        frontier.extend(children)
    return tree


def _tree_cpu(root: int) -> dict[int, int]:
    """Each process's own CPU ticks (user + system) in ``root``'s tree, by pid.

    Summed over samples taken while the processes live (:func:`peak_memory`): Spark's Python
    workers can end without being reaped inside the tree, so a parent's ``cutime`` at the end
    of a step misses them (it undercounted Spark's 10 million text step by a third).
    """
    stats = _stats()
    return {
        pid: int(stats[pid][11]) + int(stats[pid][12]) for pid in _tree(root, stats) if pid in stats
    }


def _tree_rss(root: int) -> int:
    """Resident bytes of ``root`` and every process under it (Linux /proc)."""
    tree = _tree(root, _stats())
    total = 0
    for pid in tree:
        try:
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1]) * 1024
        except OSError:
            continue
    return total


@contextmanager
def peak_memory() -> Iterator[dict[str, float]]:
    """Sample this process tree's resident memory every 0.2 s; ``found["peak"]`` at the end.

    ``found["cpu"]`` is the tree's CPU seconds during the block: each process's last sampled
    CPU time (:func:`_tree_cpu`) less what it had used before the block.
    """
    found: dict[str, float] = {"peak": _tree_rss(os.getpid())}
    before = _tree_cpu(os.getpid())
    seen = dict(before)

    def record_cpu() -> None:
        for pid, ticks in _tree_cpu(os.getpid()).items():
            seen[pid] = max(seen.get(pid, 0), ticks)

    stop = threading.Event()

    def sample() -> None:
        while not stop.wait(0.2):
            found["peak"] = max(found["peak"], _tree_rss(os.getpid()))
            record_cpu()

    thread = threading.Thread(target=sample, daemon=True)
    thread.start()
    try:
        yield found
    finally:
        stop.set()
        thread.join()
        found["peak"] = max(found["peak"], _tree_rss(os.getpid()))
        record_cpu()
        used = sum(ticks - before.get(pid, 0) for pid, ticks in seen.items())
        found["cpu"] = round(used / os.sysconf("SC_CLK_TCK"), 2)


# -- the steps ------------------------------------------------------------------------------------
def _duckdb_tables(folder: Path) -> Callable[[str], Any]:
    import ibis

    connection = ibis.duckdb.connect()
    connection.raw_sql("SET TimeZone = 'UTC'")
    opened: dict[str, Any] = {}

    def table(name: str) -> Any:
        if name not in opened:
            opened[name] = connection.read_parquet(folder / f"{name}.parquet", table_name=name)
        return opened[name]

    return table


def _spark(memory: str) -> Any:
    from pyspark.sql import SparkSession

    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
    session = (
        SparkSession.builder.master("local[2]")
        .appName("advocacy-scale")
        .config("spark.driver.host", "127.0.0.1")
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.driver.memory", memory)
        .getOrCreate()
    )
    session.sparkContext.setLogLevel("ERROR")
    return session


def _duckdb_text(table: Callable[[str], Any], out: Path) -> dict[str, Any]:
    """The workspace path's enrichment over DuckDB-read Parquet, in batches, into Parquet."""
    import pandas as pd

    from advocacy.settings import current_settings
    from advocacy.text.documents import document_table, text_hash
    from advocacy.text.enrich import FEATURE_TYPES, analyze_texts

    model = current_settings().text_model
    documents = document_table(table, ["response"])
    rows = documents.select("document_kind", "document_id", "text").to_pyarrow()
    writer = None
    # A run stopped before the end still says how far it came, at what CPU cost.
    progress = (out / "text-progress.log").open("w", buffering=1)
    began, cpu = time.perf_counter(), time.process_time()
    for start in range(0, rows.num_rows, 5000):
        if start % 100_000 == 0:
            progress.write(
                f"{start} of {rows.num_rows} documents, {time.perf_counter() - began:.0f} s, "
                f"{time.process_time() - cpu:.0f} CPU s\n"
            )
        chunk = rows.slice(start, 5000).to_pandas()
        texts = [str(text) for text in chunk["text"]]
        features = analyze_texts(texts, None, model=model)
        frame = pd.concat([chunk[["document_kind", "document_id"]], features], axis=1)
        frame["text_hash"] = [text_hash(text) for text in texts]
        frame["analysed_at"] = pd.Timestamp.now(tz="UTC")
        batch = pa.Table.from_pandas(frame[list(FEATURE_TYPES)], preserve_index=False)
        writer = writer or pq.ParquetWriter(out / "text_features.parquet", batch.schema)
        writer.write_table(batch)
    if writer is not None:
        writer.close()
    progress.close()
    return {"documents": rows.num_rows}


def run_engine(engine: str, folder: Path, steps: list[str], memory: str) -> list[dict[str, Any]]:
    """Run ``steps`` on ``engine`` over ``folder``; one record per step."""
    from advocacy.drivers.moments import driver_moments, importance_from_moments
    from advocacy.metrics.experience import experience_metrics
    from advocacy.retention.rfm import summarize_transactions
    from advocacy.settings import current_settings
    from advocacy.text.score_labels import calibrate_on_tables

    model = current_settings().text_model
    records = []
    started = time.perf_counter()
    if engine == "spark":
        from advocacy.metrics.engines import spark_tables
        from advocacy.text.parquet_enrich import parquet_text_features

        session = _spark(memory)
        table = spark_tables(folder, session=session)
        records.append({"step": "start", "seconds": time.perf_counter() - started})
    else:
        table = _duckdb_tables(folder)
    out = folder / f"out-{engine}"
    out.mkdir(exist_ok=True)
    for step in steps:
        with peak_memory() as memory_use:
            began = time.perf_counter()
            if step == "metrics":
                frame = experience_metrics(
                    table, ["nps", "csat"], by=["unit"], period="month",
                    confidence=0.95, min_n=30, interval="adjusted-wald", correction="holm",
                )  # fmt: skip
                detail: dict[str, Any] = {"rows": len(frame)}
            elif step == "text" and engine == "spark":
                result = parquet_text_features(
                    folder, out, kinds=["response"], calibrate=False, session=session, model=model
                )
                detail = {"documents": result.analyzed}
            elif step == "text":
                detail = _duckdb_text(table, out)
            elif step == "calibration":
                calibrated = calibrate_on_tables(
                    table("responses"), items=table("response_items"), model=model
                )
                detail = {"labels": 0 if calibrated is None else calibrated.n_labels_}
            elif step == "retention":
                summary = summarize_transactions(table("transactions"))
                detail = {"customers": len(summary)}
            else:
                moments = driver_moments(table("responses"), table("response_items"))
                weights = importance_from_moments(moments)
                detail = {"respondents": moments.n, "r_squared": weights.attrs["r_squared"]}
            seconds = time.perf_counter() - began
        records.append(
            {
                "step": step,
                "seconds": seconds,
                "cpu_seconds": memory_use["cpu"],
                "peak_rss_mb": memory_use["peak"] / 2**20,
                **detail,
            }
        )
    return records


# -- the runs -------------------------------------------------------------------------------------
def _load() -> str:
    one, five, fifteen = os.getloadavg()
    return f"{one:.2f} {five:.2f} {fifteen:.2f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--sizes", default="100000,300000,1000000", help="responses, comma-separated"
    )
    parser.add_argument("--transactions-per-response", type=int, default=3)
    parser.add_argument("--engines", default=",".join(ENGINES))
    parser.add_argument("--steps", default=",".join(STEPS))
    parser.add_argument("--work", type=Path, default=Path("/tmp/advocacy-scale"))
    parser.add_argument("--results", type=Path, default=None)
    parser.add_argument("--spark-memory", default="4g", help="Spark driver memory (local mode)")
    parser.add_argument("--deadline", default=None, help="HH:MM UTC: start no run after it")
    parser.add_argument("--child", nargs=2, metavar=("ENGINE", "FOLDER"), help=argparse.SUPPRESS)
    parser.add_argument("--table", action="store_true", help="print the results as Markdown")
    parser.add_argument("--generate-only", action="store_true", help="write the data, run nothing")
    args = parser.parse_args()
    steps = [step for step in args.steps.split(",") if step]
    if args.child:
        records = run_engine(args.child[0], Path(args.child[1]), steps, args.spark_memory)
        print(json.dumps(records))
        return
    results = args.results or args.work / "results.jsonl"
    if args.table:
        print(markdown([json.loads(line) for line in results.read_text().splitlines()]))
        return
    for size in [int(value) for value in args.sizes.split(",")]:
        folder = args.work / f"n{size}"
        if not (folder / "transactions.parquet").exists():
            began = time.perf_counter()
            counts = generate(folder, size, args.transactions_per_response)
            print(f"generated {counts} in {time.perf_counter() - began:.0f} s", flush=True)
        if args.generate_only:
            continue
        for engine in args.engines.split(","):
            if args.deadline and time.strftime("%H:%M", time.gmtime()) >= args.deadline:
                print(f"deadline {args.deadline} UTC passed: {engine} n={size} not run")
                continue
            load = _load()
            began = time.perf_counter()
            child = subprocess.run(
                [sys.executable, __file__, "--child", engine, str(folder), "--steps",
                 ",".join(steps), "--spark-memory", args.spark_memory],
                capture_output=True, text=True, check=False,
            )  # fmt: skip
            if child.returncode != 0:
                print(child.stderr[-3000:], file=sys.stderr)
                continue
            records = json.loads(child.stdout.strip().splitlines()[-1])
            with results.open("a") as handle:
                for record in records:
                    record.update(engine=engine, responses=size, load_before=load)
                    record.update(load_after=_load(), run_seconds=time.perf_counter() - began)
                    handle.write(json.dumps(record) + "\n")
                    print(json.dumps(record), flush=True)


def markdown(records: list[dict[str, Any]]) -> str:
    """Seconds (CPU seconds when recorded) and peak memory per step, engine and size."""
    sizes = sorted({record["responses"] for record in records})
    lines = [
        "| step | engine | " + " | ".join(f"{size:,} responses" for size in sizes) + " |",
        "|---|---|" + "---|" * len(sizes),
    ]
    for step in ("start", *STEPS, *OPTIONAL_STEPS):
        for engine in ENGINES:
            cells = []
            for size in sizes:
                key = (step, engine, size)
                found = [r for r in records if (r["step"], r["engine"], r["responses"]) == key]
                if not found:
                    cells.append("not run" if step != "start" or engine == "spark" else "")
                    continue
                record = found[-1]
                memory, cpu = record.get("peak_rss_mb"), record.get("cpu_seconds")
                cells.append(
                    f"{record['seconds']:.1f} s"
                    + ("" if cpu is None else f" ({cpu:.0f} CPU s)")
                    + ("" if memory is None else f", {memory / 1024:.1f} GB")
                )
            if any(cell not in ("", "not run") for cell in cells):
                lines.append(f"| {step} | {engine} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


if __name__ == "__main__":
    main()
