"""A workspace loads its own engine's SQL compiler, and every other one still loads when named."""

from __future__ import annotations

import json
import subprocess
import sys

_SCRIPT = """
import json, sys
import advocacy
with advocacy.open(sys.argv[1], create=True) as ws:
    table = ws.db.ibis.table("responses")
    rows = int(table.filter(table.nps >= 9).count().execute())
    loaded = sorted(
        name.rsplit(".", 1)[1] for name in sys.modules
        if name.startswith("ibis.backends.sql.compilers.")
    )
    import ibis
    from ibis.backends.sql.compilers import TrinoCompiler
    import ibis.backends.sql.compilers as compilers
    print(json.dumps({
        "rows": rows,
        "loaded": loaded,
        "postgres_sql": ibis.to_sql(table.filter(table.nps >= 9), dialect="postgres"),
        "trino": TrinoCompiler.__name__,
        "all": "DuckDBCompiler" in compilers.__all__,
    }))
"""


def _run(url: str) -> dict[str, object]:
    done = subprocess.run(
        [sys.executable, "-c", _SCRIPT, url], capture_output=True, text=True, check=True
    )
    result: dict[str, object] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def test_a_workspace_compiles_with_its_own_engine_only(db_url: str) -> None:
    result = _run(db_url)
    assert result["rows"] == 0
    engine = "duckdb" if not db_url.startswith("postgres") else "postgres"
    loaded = result["loaded"]
    assert isinstance(loaded, list)
    compilers = {name for name in loaded if name not in ("base", "_compat")}
    assert compilers == {engine}


def test_other_engines_compilers_still_load_when_asked(duckdb_url: str) -> None:
    result = _run(duckdb_url)
    sql = " ".join(str(result["postgres_sql"]).split())
    assert 'FROM "responses" AS "t0" WHERE "t0"."nps" >= 9' in sql
    assert result["trino"] == "TrinoCompiler"
    assert result["all"] is True
