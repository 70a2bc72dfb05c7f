"""Size of the G-test far in the tail, under independence.

For r x c tables that Cochran's rule accepts (so ``g_test_pvalues`` uses the
chi-square approximation, not the permutation fallback), this script draws
many tables under independence (equal-frequency bins of X against a fixed
target, as the plug-in estimator codes them) and prints, for each nominal
level t, the share of p-values below t divided by t (1 means exact, above 1
liberal) for the uncorrected G, the Williams-corrected G / q that skmi uses,
and Pearson's X^2.

Run from the repository root::

    python benchmarks/bench_g_test_tails.py [--tables 40000]
"""

import argparse

import numpy as np
from scipy.stats import chi2

from skmi.selection._significance import sparse_tables, williams_q

LEVELS = (0.05, 0.01, 0.001, 0.0001)


def null_tables(r, c, n, count, rng):
    y = rng.integers(0, c, n)
    x = np.argsort(rng.random((count, n)), axis=1) * r // n  # r equal bins
    codes = x * c + y[None, :]
    flat = [np.bincount(row, minlength=r * c) for row in codes]
    return np.stack(flat).reshape(count, r, c).astype(float)


def pvalues(tables, n):
    rows, cols = tables.sum(axis=2), tables.sum(axis=1)
    expected = rows[:, :, None] * cols[:, None, :] / n
    ratio = np.where(tables > 0, tables / expected, 1.0)
    g = 2.0 * np.sum(tables * np.log(ratio), axis=(1, 2))
    pearson = np.sum((tables - expected) ** 2 / expected, axis=(1, 2))
    r, c = tables.shape[1:]
    dof = (r - 1) * (c - 1)
    q = np.array([williams_q(a, b) for a, b in zip(rows, cols, strict=True)])
    sparse = sparse_tables(list(rows.astype(np.int64)), cols[0].astype(np.int64))
    return {
        "G": chi2.sf(g, dof),
        "G/q (skmi)": chi2.sf(g / q, dof),
        "Pearson X2": chi2.sf(pearson, dof),
    }, sparse.mean()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--tables", type=int, default=40000)
    args = parser.parse_args()
    rng = np.random.default_rng(0)
    header = "".join(f"{t:>9g}" for t in LEVELS)
    print(f"share of p < t over t, {args.tables} null tables per row")
    print(f"{'r x c, n (mean cell)':<24}{'statistic':<12}{header}")
    for r, c, n in [(2, 20, 300), (3, 5, 300), (10, 10, 1000), (2, 100, 2000)]:
        tables = null_tables(r, c, n, args.tables, rng)
        results, sparse = pvalues(tables, n)
        assert sparse == 0.0  # Cochran accepts every table here
        label = f"{r} x {c}, {n} ({n / (r * c):g})"
        for name, p in results.items():
            shares = "".join(f"{np.mean(p < t) / t:>9.2f}" for t in LEVELS)
            print(f"{label:<24}{name:<12}{shares}")
            label = ""


if __name__ == "__main__":
    main()
