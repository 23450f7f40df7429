"""Benchmark: fitting BG/NBD and Gamma-Gamma on CDNOW, advocacy against `lifetimes` and plain SciPy.

Goal (issue #5): reproduce Fader, Hardie & Lee (2005) on the CDNOW sample (r = 0.243,
alpha = 4.414, a = 0.793, b = 2.426, LL = -9582.4; Gamma-Gamma p = 6.25, q = 3.74,
gamma = 15.44) and fit faster than the `lifetimes` package on the same data, in the same run.

Three fitters on the same summaries (frequency, recency, T in weeks; calibration to 1997-09-30):

- ``advocacy``: :class:`advocacy.BetaGeo` / :class:`advocacy.GammaGamma` (L-BFGS-B in
  log-parameters with the analytic gradient, identical histories weighted once);
- ``lifetimes``: ``BetaGeoFitter`` / ``GammaGammaFitter`` (only if the package imports and runs
  with the installed NumPy/pandas/SciPy; it is never a dependency of advocacy);
- ``scipy``: the straightforward implementation, the same likelihood minimised by Nelder-Mead
  without a gradient, one term per customer.

Each fit runs once to warm up, then is timed ``--repeat`` times; the best and the median are
reported; summaries are built once, outside
the timings. Both the CDNOW sample (2,357 customers) and the full CDNOW master file (23,570) are
used. Prints a Markdown table for docs/benchmarks.md.

Run: ``.venv/bin/python benchmarks/retention.py [--repeat 5] [--data ../shared/data/cdnow]``
"""

from __future__ import annotations

import argparse
import platform
import statistics
import time
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from scipy import optimize
from scipy.special import betaln, gammaln

from advocacy import BetaGeo, GammaGamma, summarize_transactions
from advocacy.retention.bg_nbd import bg_nbd_log_likelihood
from advocacy.retention.gamma_gamma import gamma_gamma_log_likelihood

CALIBRATION_END = "1997-09-30"


def read_cdnow(path: Path, *, sample: bool) -> pd.DataFrame:
    if sample:
        names = ["customer_id", "sample_id", "date", "quantity", "amount"]
        frame = pd.read_csv(path, sep=r"\s+", header=None, names=names, dtype={0: str, 2: str})
    else:
        frame = pd.read_csv(path, sep=r"\s+", dtype={"customer_id": str, "date": str})
        frame = frame.rename(columns={"dollar_value": "amount"})
    frame["date"] = pd.to_datetime(frame["date"], format="%Y%m%d")
    return frame


def timed(function: Callable[[], Any], repeat: int) -> tuple[tuple[float, float], Any]:
    """(best, median) seconds over ``repeat`` runs after one warm-up run, and the result.

    The best time is the one to compare on a shared machine (as ``timeit`` advises): other
    work only ever adds time; the median shows how noisy the run was.
    """
    result = function()
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        result = function()
        times.append(time.perf_counter() - start)
    return (min(times), statistics.median(times)), result


def scipy_bg_nbd(x: np.ndarray, t_x: np.ndarray, T: np.ndarray) -> tuple[dict[str, float], float]:
    """The straightforward way: Nelder-Mead on the negative log-likelihood, no gradient."""

    def negative(log_params: np.ndarray) -> float:
        r, alpha, a, b = np.exp(log_params)
        common = gammaln(r + x) - gammaln(r) + r * np.log(alpha)
        alive = betaln(a, b + x) - betaln(a, b) - (r + x) * np.log(alpha + T)
        with np.errstate(divide="ignore", invalid="ignore"):
            dropped = betaln(a + 1, b + x - 1) - betaln(a, b) - (r + x) * np.log(alpha + t_x)
        dropped = np.where(x > 0, dropped, -np.inf)
        return -float(np.sum(common + np.logaddexp(alive, dropped)))

    result = optimize.minimize(
        negative, np.zeros(4), method="Nelder-Mead", options={"maxiter": 10000, "xatol": 1e-8}
    )
    return dict(zip(("r", "alpha", "a", "b"), np.exp(result.x), strict=True)), -result.fun


def scipy_gamma_gamma(x: np.ndarray, m: np.ndarray) -> tuple[dict[str, float], float]:
    def negative(log_params: np.ndarray) -> float:
        p, q, g = np.exp(log_params)
        value = (
            gammaln(p * x + q) - gammaln(p * x) - gammaln(q) + q * np.log(g)
            + (p * x - 1) * np.log(m) + p * x * np.log(x) - (p * x + q) * np.log(g + m * x)
        )  # fmt: skip
        return -float(np.sum(value))

    result = optimize.minimize(
        negative, np.zeros(3), method="Nelder-Mead", options={"maxiter": 10000, "xatol": 1e-8}
    )
    return dict(zip(("p", "q", "gamma"), np.exp(result.x), strict=True)), -result.fun


def lifetimes_fitters() -> tuple[Any, Any] | str:
    try:
        from lifetimes import BetaGeoFitter, GammaGammaFitter
    except Exception as error:  # any import failure means "not available here"
        return f"lifetimes not importable: {error}"
    return BetaGeoFitter, GammaGammaFitter


def shown(params: dict[str, float]) -> str:
    return ", ".join(f"{k} = {v:.3f}" for k, v in params.items())


def run_one(label: str, summary: pd.DataFrame, repeat: int) -> list[dict[str, Any]]:
    """Time every fitter on one data set's summaries."""
    x, t_x, T = (summary[c].to_numpy(float) for c in ("frequency", "recency", "T"))
    repeaters = summary[(summary["frequency"] > 0) & (summary["monetary_value"] > 0)]
    m = repeaters["monetary_value"].to_numpy(float)
    xr = repeaters["frequency"].to_numpy(float)
    base = {"data": label, "customers": f"{len(summary):,} / {len(repeaters):,}"}
    rows: list[dict[str, Any]] = []

    def add(model: str, fitter: str, seconds: tuple[float, float], params: Any, ll: float) -> None:
        text = params if isinstance(params, str) else shown(params)
        rows.append({**base, "model": model, "fitter": fitter, "seconds": seconds,
                     "params": text, "ll": ll})  # fmt: skip

    seconds, model = timed(lambda: BetaGeo().fit(x, t_x, T), repeat)
    add("BG/NBD", "advocacy", seconds, model.params_, model.log_likelihood_)
    seconds, spend = timed(lambda: GammaGamma().fit(xr, m), repeat)
    add("Gamma-Gamma", "advocacy", seconds, spend.params_, spend.log_likelihood_)
    fitters = lifetimes_fitters()
    if isinstance(fitters, str):
        add("both", "lifetimes", (float("nan"),) * 2, fitters, float("nan"))
    else:
        bg_class, gg_class = fitters
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            seconds, fitted = timed(lambda: bg_class().fit(x, t_x, T), repeat)
            params = {k: float(fitted.params_[k]) for k in ("r", "alpha", "a", "b")}
            ll = bg_nbd_log_likelihood(list(params.values()), x, t_x, T)[0]
            add("BG/NBD", "lifetimes", seconds, params, ll)
            seconds, fitted = timed(lambda: gg_class().fit(xr, m), repeat)
            params = {k: float(fitted.params_[k]) for k in ("p", "q", "v")}
            ll = gamma_gamma_log_likelihood(list(params.values()), xr, m)[0]
            add("Gamma-Gamma", "lifetimes", seconds, params, ll)
    seconds, (params, ll) = timed(lambda: scipy_bg_nbd(x, t_x, T), repeat)
    add("BG/NBD", "scipy", seconds, params, ll)
    seconds, (params, ll) = timed(lambda: scipy_gamma_gamma(xr, m), repeat)
    add("Gamma-Gamma", "scipy", seconds, params, ll)
    return rows


def run(data: Path, repeat: int) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    for label, path, sample in (
        ("CDNOW sample", data / "CDNOW_sample.txt", True),
        ("CDNOW master", data / "CDNOW_master.txt", False),
    ):
        frame = read_cdnow(path, sample=sample)
        rows += run_one(
            label, summarize_transactions(frame, calibration_end=CALIBRATION_END), repeat
        )
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--data", type=Path, default=Path("../shared/data/cdnow"))
    args = parser.parse_args()
    rows = run(args.data, args.repeat)
    print(f"python {platform.python_version()}, numpy {np.__version__}, pandas {pd.__version__}")
    print("| data | customers / repeat buyers | model | fitter | best | median | parameters | LL |")
    print("| --- | ---: | --- | --- | ---: | ---: | --- | ---: |")
    for row in rows:
        ll = "" if np.isnan(row["ll"]) else f"{row['ll']:.1f}"
        best, median = row["seconds"]
        time_text = "- | -" if np.isnan(best) else f"{best * 1e3:.1f} ms | {median * 1e3:.1f} ms"
        print(f"| {row['data']} | {row['customers']} | {row['model']} | {row['fitter']} | "
              f"{time_text} | {row['params']} | {ll} |")  # fmt: skip


if __name__ == "__main__":
    main()
