"""A target written with a per cent sign gets one reason and a fix naming its own number
(review13 items 7 and 8), and a target out of its metric's range is told what to write."""

from __future__ import annotations

from pathlib import Path

import advocacy

#: (desired_value as written, the number the fix names); NBSP, narrow NBSP, full-width and
#: Arabic per cent signs, Arabic-Indic digits, a decimal comma and grouped thousands.
WRITTEN = {
    "85%": "85",
    "85\u00a0%": "85",
    "85\u202f%": "85",
    "85％": "85",
    "٨٥٪": "85",
    "%85": "85",
    "4,5%": "4.5",
    "-5%": "-5",
    "1.000,5%": "1000.5",
    "٤٫٥٪": "4.5",
}
REASON = "a target is a number without a % sign"


def test_every_per_cent_sign_gets_one_reason_and_the_fix_names_its_number(
    db_url: str, tmp_path: Path
) -> None:
    lines = ["target_id,metric,segment,desired_value"]
    lines += [f't{n},nps,all,"{value}"' for n, value in enumerate(WRITTEN)]
    lines += ["range,nps,all,150", "share,csat,all,120", "words,nps,all,85 percent"]
    path = tmp_path / "targets.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with advocacy.open(db_url) as ws:
        result = ws.import_file(path, kind="targets")
        stored = {(e["value"], e["reason"], e["fix"]) for e in ws.quarantine()}
    assert result.rows_loaded == 0
    by_value: dict[str, list[tuple[str, str]]] = {}
    for value, reason, fix in stored:
        by_value.setdefault(value, []).append((reason, fix))
    for value, number in WRITTEN.items():
        assert by_value[value] == [
            (
                REASON,
                f"write {number} (the number alone; a share such as csat is already a percentage)",
            )
        ], value
    assert by_value["150"] == [
        (
            "outside the range of the target's metric",
            "write a value from -100 to 100 for nps (an NPS)",
        )
    ]
    assert by_value["120"] == [
        (
            "outside the range of the target's metric",
            "write a value from 0 to 100 for csat (a share in %), or a fraction from 0 to 1 "
            "(0.85 reads as 85%)",
        )
    ]
    # Words are not a number with a per cent sign: the general reason, not "write 85".
    assert [reason for reason, _ in by_value["85 percent"]] == ["not a number"]
