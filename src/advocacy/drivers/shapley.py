"""The linear model's R^2 decompositions, computed from correlations.

- ``exact_lmg``: Shapley values of any set function given on all ``2^p`` subsets (the linear
  LMG uses R^2, the logistic variant McFadden's pseudo-R^2);
- ``sampled_lmg``: LMG estimated from random entry orders, each paired with its reverse;
- ``johnson_weights``: Johnson's (2000) relative weights.

References
----------
.. [1] Shapley, L. S. (1953). A value for n-person games. In Contributions to the Theory of
   Games II, 307-317. Princeton University Press.
.. [2] Grömping, U. (2006). Relative importance for linear regression in R: the package
   relaimpo. Journal of Statistical Software 17(1).
.. [3] Johnson, J. W. (2000). A heuristic method for estimating the relative weight of predictor
   variables in multiple regression. Multivariate Behavioral Research 35(1), 1-19.
"""

from __future__ import annotations

import functools
import math

import numpy as np
from numpy.typing import NDArray

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]


def correlations(x: FloatArray, y: FloatArray) -> tuple[FloatArray, FloatArray]:
    matrix = np.asarray(np.corrcoef(np.column_stack([x, y]), rowvar=False), dtype=np.float64)
    return matrix[:-1, :-1], matrix[:-1, -1]


def subset_r2(rxx: FloatArray, rxy: FloatArray, columns: list[int]) -> float:
    if not columns:
        return 0.0
    sub = rxx[np.ix_(columns, columns)]
    vector = rxy[columns]
    return float(vector @ np.linalg.solve(sub, vector))


@functools.lru_cache(maxsize=32)
def _subsets_by_size(p: int) -> tuple[tuple[IntArray, IntArray], ...]:
    """For each subset size 1..p: the bit masks of the subsets of that size and, row by row,
    the drivers in each. The same for every fit on p drivers (a bootstrap makes hundreds)."""
    masks = np.arange(1 << p)
    bits = (masks[:, None] >> np.arange(p)) & 1
    sizes = bits.sum(axis=1)
    layout = []
    for size in range(1, p + 1):
        chosen = masks[sizes == size]
        columns = np.nonzero(bits[chosen])[1].reshape(chosen.size, size)
        chosen.flags.writeable = columns.flags.writeable = False
        layout.append((chosen, columns))
    return tuple(layout)


def all_subset_r2(rxx: FloatArray, rxy: FloatArray) -> FloatArray:
    """R^2 of every subset of drivers, indexed by the subset's bit mask.

    Subsets of equal size are solved together as one stacked (batched) linear system.
    """
    p = rxy.size
    values = np.zeros(1 << p)
    for chosen, columns in _subsets_by_size(p):
        systems = rxx[columns[:, :, None], columns[:, None, :]]
        vectors = rxy[columns]
        solved = np.linalg.solve(systems, vectors[:, :, None])[:, :, 0]
        values[chosen] = np.einsum("ij,ij->i", vectors, solved)
    return values


@functools.lru_cache(maxsize=32)
def _entries(p: int) -> tuple[tuple[IntArray, FloatArray], ...]:
    """For each driver j: the masks of the subsets without j, and the Shapley weight
    |S|!(p-|S|-1)!/p! of each. The same for every fit on p drivers."""
    sizes = np.array([bin(mask).count("1") for mask in range(1 << p)])
    weight_of_size = np.array(
        [math.factorial(k) * math.factorial(p - k - 1) / math.factorial(p) for k in range(p)]
    )
    masks = np.arange(1 << p)
    layout = []
    for j in range(p):
        without = masks[(masks >> j & 1) == 0]
        weights = weight_of_size[sizes[without]]
        without.flags.writeable = weights.flags.writeable = False
        layout.append((without, weights))
    return tuple(layout)


def exact_lmg(values: FloatArray, p: int) -> FloatArray:
    """Shapley values of a game given on every subset (``values[mask]``, e.g. its R^2).

    Each driver's increment on entering subset S is weighted by |S|!(p-|S|-1)!/p!.
    """
    shares = np.zeros(p)
    for j, (without, weights) in enumerate(_entries(p)):
        gains = values[without | (1 << j)] - values[without]
        shares[j] = float((weights * gains).sum())
    return shares


def sampled_lmg(
    rxx: FloatArray, rxy: FloatArray, n_permutations: int, rng: np.random.Generator
) -> FloatArray:
    """LMG estimated from random entry orders; each order costs one Cholesky factorisation.

    With the outcome placed last, the squared last-row entries of the Cholesky factor of the
    permuted correlation matrix are the R^2 increments of the drivers in entry order.
    """
    p = rxy.size
    full = np.empty((p + 1, p + 1))
    full[:p, :p], full[:p, p], full[p, :p], full[p, p] = rxx, rxy, rxy, 1.0
    # Antithetic pairs: each sampled order is used together with its reverse, which cancels
    # much of the sampling error (a driver entering early in one enters late in the other).
    half = max(1, n_permutations // 2)
    forward = rng.permuted(np.tile(np.arange(p), (half, 1)), axis=1)
    orders = np.concatenate([forward, forward[:, ::-1]])
    n_permutations = orders.shape[0]
    index = np.concatenate([orders, np.full((n_permutations, 1), p)], axis=1)
    stacked = full[index[:, :, None], index[:, None, :]]
    # A tiny ridge keeps the factorisation defined when R^2 is 1 to machine precision.
    stacked[:, p, p] += 1e-12
    factor = np.linalg.cholesky(stacked)
    increments = factor[:, p, :p] ** 2
    shares = np.zeros(p)
    np.add.at(shares, orders.reshape(-1), increments.reshape(-1))
    return shares / n_permutations


def johnson_weights(rxx: FloatArray, rxy: FloatArray) -> FloatArray:
    values, vectors = np.linalg.eigh(rxx)
    root = vectors @ np.diag(np.sqrt(values)) @ vectors.T  # correlations of X with Z
    beta = np.linalg.solve(root, rxy)  # weights of y on the orthogonal Z
    return np.asarray((root**2) @ beta**2, dtype=np.float64)
