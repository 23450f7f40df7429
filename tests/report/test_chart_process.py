"""Charts drawn by the helper process are the charts drawn in process, in the right places, and
a spec the converter rejects is the same error either way."""

from __future__ import annotations

import gc
import os
import re
import signal
import sys
import threading
import warnings

import numpy as np
import pytest
import vl_convert

from advocacy.report.chart_process import ChartProcess
from advocacy.report.section import _CHARTS, FONT, chart_svg, charts_aside, place_charts


def bars(label: str, value: float) -> dict[str, object]:
    return {
        "$schema": "https://vega.github.io/schema/vega-lite/v5.json",
        "data": {"values": [{"name": label, "value": value}]},
        "mark": "bar",
        "encoding": {
            "y": {"field": "name", "type": "nominal"},
            "x": {"field": "value", "type": "quantitative"},
        },
    }


def test_charts_drawn_aside_are_the_charts_drawn_in_process_each_in_its_place() -> None:
    specs = [bars("first <chart>", 3.0), bars("second", 7.0), bars("third 北", 1.0)]
    with charts_aside():
        figures = [str(chart_svg(spec, label=f"chart {n}")) for n, spec in enumerate(specs)]
        # Until placed, each figure holds a placeholder, not an SVG.
        assert not any("<svg" in figure for figure in figures)
        document = place_charts("<main>" + "<p>between</p>".join(figures) + "</main>")
    drawn = re.findall(r"<svg.*?</svg>", document, re.S)
    expected = [vl_convert.vegalite_to_svg({**spec, "config": {"font": FONT}}) for spec in specs]
    assert drawn == expected
    assert document.count("<p>between</p>") == 2
    assert "&lt;chart&gt;" in drawn[0] and "北" in drawn[2]


def test_a_spec_the_converter_rejects_raises_the_same_error_from_the_helper() -> None:
    bad = {"mark": "no-such-mark", "data": {"values": []}}
    with pytest.raises(ValueError, match=r"conversion failed") as in_process:
        vl_convert.vegalite_to_svg(bad)
    helper = ChartProcess()
    try:
        good = helper.submit(bars("fine", 1.0))
        rejected = helper.submit(bad)
        with pytest.raises(ValueError) as aside:
            helper.svg(rejected)
        assert helper.svg(good).startswith("<svg")
    finally:
        helper.close()
    assert str(aside.value).splitlines()[0] == str(in_process.value).splitlines()[0]


def test_without_a_helper_charts_are_drawn_on_the_spot() -> None:
    figure = str(chart_svg(bars("alone", 2.0), label="alone"))
    assert "<svg" in figure and "advocacy-chart" not in figure
    assert place_charts(figure) == figure


def test_charts_the_helper_never_answered_are_drawn_here_when_it_dies() -> None:
    helper = ChartProcess()
    try:
        # The helper dies (killed from outside, as the system might) before it draws anything.
        helper.start()
        assert helper._process is not None
        os.kill(helper._process.pid, signal.SIGKILL)
        helper._process.wait()
        number = helper.submit(bars("after the helper died", 4.0))
        assert helper.svg(number) == vl_convert.vegalite_to_svg(bars("after the helper died", 4.0))
    finally:
        helper.close()


def test_a_stray_line_on_the_helpers_output_does_not_stop_the_charts() -> None:
    helper = ChartProcess()
    try:
        # Something else writes to the helper's output (a library printing, say): the same
        # pipe, opened through /proc.
        helper.start()
        assert helper._process is not None
        with open(f"/proc/{helper._process.pid}/fd/1", "w", encoding="utf-8") as output:
            output.write("WARN not an answer\n")
        number = helper.submit(bars("after a stray line", 5.0))
        drawn: list[str] = []
        waiting = threading.Thread(target=lambda: drawn.append(helper.svg(number)), daemon=True)
        waiting.start()
        waiting.join(timeout=60)
        assert drawn == [vl_convert.vegalite_to_svg(bars("after a stray line", 5.0))]
    finally:
        helper.close()


def test_a_report_run_leaves_no_open_pipe_and_no_helper_behind() -> None:
    # A server builds many reports: each run's helper must be reaped and its pipes closed, not
    # left for the garbage collector.
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", ResourceWarning)
        for _ in range(2):
            with charts_aside():
                place_charts(str(chart_svg(bars("served", 1.0), label="served")))
        gc.collect()
    assert [str(w.message) for w in caught if issubclass(w.category, ResourceWarning)] == []


def test_the_helper_starts_when_the_charts_are_placed_and_exits_when_they_are() -> None:
    # While the sections compute, no helper holds its engine's memory beside them; it draws
    # once the document asks for the charts, and is gone before the PDF is laid out.
    with charts_aside():
        figures = "".join(str(chart_svg(bars(f"bar {n}", n), label="bar")) for n in range(3))
        helper = _CHARTS.get()
        assert helper is not None and helper._process is None
        document = place_charts(figures)
        assert helper._process is not None and helper._process.returncode == 0
        assert helper._process.stdout is not None and helper._process.stdout.closed
    assert document.count("<svg") == 3


def test_a_failed_run_starts_no_helper_and_stops_one_already_drawing() -> None:
    helpers: list[ChartProcess | None] = []
    with pytest.raises(RuntimeError, match="section failed"), charts_aside():
        chart_svg(bars("made before the failure", 1.0), label="made")
        helpers.append(_CHARTS.get())
        raise RuntimeError("section failed")
    assert helpers[0] is not None and helpers[0]._process is None
    # Many charts are queued when the run fails while the helper draws: it is stopped and
    # reaped at once.
    with pytest.raises(RuntimeError, match="placing failed"), charts_aside():
        for number in range(200):
            chart_svg(bars(f"queued {number}", float(number)), label="queued")
        helper = _CHARTS.get()
        assert helper is not None
        helper.start()
        helpers.append(helper)
        raise RuntimeError("placing failed")
    started = helpers[1]
    assert started is not None and started._process is not None
    assert started._process.returncode == -signal.SIGKILL


def test_a_rejected_chart_is_a_note_in_its_place_and_the_other_charts_stay() -> None:
    # Drawn on the spot, a section sees the ValueError and can leave its part out; drawn aside,
    # the section has returned by then, so the document says so where the chart would be.
    # An expression the converter cannot parse: its message quotes the markup.
    rejected = {**bars("bad", 1.0), "transform": [{"calculate": "<b>(", "as": "x"}]}
    with charts_aside():
        document = place_charts(
            str(chart_svg(rejected, label="bad")) + str(chart_svg(bars("good", 1.0), label="ok"))
        )
    assert "This chart could not be drawn: Vega-Lite to SVG conversion failed" in document
    assert "Unexpected token &lt;</p>" in document
    assert len(re.findall(r"<svg.*?</svg>", document, re.S)) == 1


def test_a_spec_with_a_value_json_cannot_hold_is_the_same_value_error_aside() -> None:
    # A NumPy count left in a section's chart data: vl-convert rejects it with a ValueError,
    # which a section may catch; drawn aside it must be that error too, not a TypeError.
    spec = bars("count", 1.0)
    spec["data"] = {"values": [{"name": "count", "value": np.int64(3)}]}
    with pytest.raises(ValueError, match=r"JSON"):
        chart_svg(spec, label="in process")
    with pytest.raises(ValueError, match=r"JSON"), charts_aside():
        chart_svg(spec, label="aside")


@pytest.mark.parametrize("executable", [None, ""])
def test_an_interpreter_that_does_not_know_its_program_draws_charts_on_the_spot(
    monkeypatch: pytest.MonkeyPatch, executable: str | None
) -> None:
    # Python documents sys.executable as None or "" when it cannot tell (embedded interpreters).
    monkeypatch.setattr(sys, "executable", executable)
    with charts_aside():
        document = place_charts(str(chart_svg(bars("embedded", 1.0), label="embedded")))
    assert document.count("<svg") == 1 and "advocacy-chart" not in document
