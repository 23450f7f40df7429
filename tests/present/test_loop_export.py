"""``advocacy export loop --out DIR``: the closed loop's six tables as Parquet, as stored, for a
report on Spark over the folder (``tests/spark/test_report.py`` reports from such a folder)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pyarrow.parquet as pq

import advocacy
from advocacy.store.parquet_source import LOOP_TABLES
from support.cli import advocacy_cli


def test_the_loop_tables_leave_as_stored_one_parquet_file_each(
    demo_directory: Path, tmp_path: Path
) -> None:
    database = tmp_path / "advocacy.duckdb"
    shutil.copy(demo_directory / "advocacy.duckdb", database)
    out = tmp_path / "lake" / "parquet"
    done = advocacy_cli("export", "loop", "--out", str(out), "--db", str(database))
    assert done.returncode == 0, done.stderr
    with advocacy.open(str(database)) as ws:
        for table in LOOP_TABLES:
            stored = ws.db.ibis.table(table).to_pyarrow()
            written = pq.read_table(out / f"{table}.parquet")
            assert written.column_names == stored.column_names, table
            assert (
                written.sort_by(stored.column_names[0]).to_pylist()
                == stored.sort_by(stored.column_names[0]).to_pylist()
            ), table
            assert f"wrote {stored.num_rows:,} rows of {table}" in done.stdout
        assert ws.db.ibis.table("cases").count().to_pyarrow().as_py() > 0


def test_the_loop_export_refuses_what_it_cannot_do_in_one_line(
    demo_directory: Path, tmp_path: Path
) -> None:
    database = tmp_path / "advocacy.duckdb"
    shutil.copy(demo_directory / "advocacy.duckdb", database)
    a_file = tmp_path / "cases.csv"
    a_file.write_text("not a folder\n", encoding="utf-8")
    for extra, says in (
        (["--out", str(tmp_path / "x"), "--redact"], "share the folder only with people"),
        (["--out", str(tmp_path / "x"), "--format", "csv"], "written as Parquet"),
        (["--out", str(a_file)], "is a file; give the folder"),
        (["cases", "--out", str(tmp_path / "x")], "'loop' takes no names"),
    ):
        done = advocacy_cli("export", "loop", *extra, "--db", str(database))
        assert done.returncode != 0, extra
        assert says in " ".join(done.stderr.split()), (extra, done.stderr)
        assert "Traceback" not in done.stderr
    assert not (tmp_path / "x").exists()
    assert a_file.read_text(encoding="utf-8") == "not a folder\n"
