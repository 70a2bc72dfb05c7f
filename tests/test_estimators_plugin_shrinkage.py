"""PlugIn(correction="shrinkage") against Hausser and Strimmer's shrinkage.

Hausser and Strimmer (2009, eq. 8) shrink cell frequencies towards the
uniform distribution over K cells with the intensity
``lambda = (1 - sum p^2) / ((n - 1) sum (1/K - p)^2)``, clipped to [0, 1].
skmi shrinks each of the three distributions of ``H(X) + H(Y) - H(X, Y)``
separately; their ``mi.shrink`` shrinks the joint table once and takes the
information of the shrunk table. Both are computed here from the formula.
"""

import numpy as np
import pytest

from skmi.estimators import PlugIn


def shrink(counts):
    """James-Stein shrinkage of a table of counts towards uniform (all cells)."""
    counts = np.asarray(counts, dtype=float).ravel()
    n, k = counts.sum(), counts.size
    p = counts / n
    lam = (1 - np.sum(p**2)) / ((n - 1) * np.sum((1 / k - p) ** 2))
    lam = min(1.0, max(0.0, lam))
    return lam / k + (1 - lam) * p


def entropy(p):
    p = p[p > 0]
    return -np.sum(p * np.log(p))


def table(x, y):
    kx, ky = x.max() + 1, y.max() + 1
    return np.bincount(x * ky + y, minlength=kx * ky).reshape(kx, ky)


def separate_shrinkage_mi(x, y):
    t = table(x, y)
    return (
        entropy(shrink(t.sum(axis=1)))
        + entropy(shrink(t.sum(axis=0)))
        - entropy(shrink(t))
    )


def mi_shrink(x, y):
    """Hausser and Strimmer's mi.shrink: the information of the shrunk table."""
    t = table(x, y)
    pxy = shrink(t).reshape(t.shape)
    px, py = pxy.sum(axis=1), pxy.sum(axis=0)
    return entropy(px) + entropy(py) - entropy(pxy.ravel())


def sparse_sample(seed, n=40, kx=6, ky=5):
    rng = np.random.default_rng(seed)
    x = rng.integers(0, kx, n)
    y = (x + rng.integers(0, 3, n)) % ky
    x[:kx], y[:ky] = np.arange(kx), np.arange(ky)  # every level occurs
    return x, y


@pytest.mark.parametrize("seed", range(5))
def test_shrinkage_mi_shrinks_the_three_entropies_separately(seed):
    x, y = sparse_sample(seed)
    got = PlugIn(correction="shrinkage").mutual_info(
        x, y, x_discrete=True, y_discrete=True
    )
    assert got == pytest.approx(separate_shrinkage_mi(x, y), abs=1e-12)


def test_separate_shrinkage_can_be_negative_where_mi_shrink_cannot():
    values = []
    for seed in range(20):
        rng = np.random.default_rng(seed)
        x, y = rng.integers(0, 6, 30), rng.integers(0, 6, 30)
        values.append(
            (
                PlugIn(correction="shrinkage").mutual_info(
                    x, y, x_discrete=True, y_discrete=True
                ),
                mi_shrink(x, y),
            )
        )
    ours, theirs = np.array(values).T
    assert (theirs >= -1e-12).all()
    assert (ours < 0).any()
    assert np.abs(ours - theirs).max() > 0.01


def test_docstring_says_which_shrinkage():
    doc = " ".join(PlugIn.__doc__.split())
    assert "not Hausser and Strimmer's ``mi.shrink``" in doc
