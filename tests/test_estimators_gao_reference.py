"""Gao et al.'s mixed estimator against the definition in the authors' code.

The authors' reference implementation of algorithm 1 (Gao, Kannan, Oh and
Viswanath, NeurIPS 2017) counts, around each sample, the samples whose
max-norm distance is at most ``rho_i - 1e-15`` (``rho_i`` the distance to the
k-th neighbour in the joint space), or at most ``1e-15`` when ``rho_i = 0``;
the absolute margin makes gaps that are equal in exact arithmetic but differ
by a few units in the last place count as equal. On integer data scaled to
unit variance such gaps are everywhere, and the estimator must give the
reference's value, not one decided by rounding.
"""

import numpy as np
import pytest
from scipy.special import digamma

from skmi.estimators import KSG
from skmi.estimators._ksg import gao_mi, gao_mi_discrete

MARGIN = 1e-15  # the reference code's absolute margin


def max_norm_distances(a):
    a = a.reshape(a.shape[0], -1)
    return np.max(np.abs(a[:, None, :] - a[None, :, :]), axis=2)


def reference_gao(x, y, k):
    """Algorithm 1 as the reference code computes it, from distance matrices."""
    n = x.shape[0]
    dx, dy = max_norm_distances(x), max_norm_distances(y)
    dxy = np.maximum(dx, dy)
    rho = np.sort(dxy, axis=1)[:, k]  # column 0 is the sample itself
    total = 0.0
    for i in range(n):
        if rho[i] == 0:
            k_i = np.sum(dxy[i] <= MARGIN)
            n_x = np.sum(dx[i] <= MARGIN)
            n_y = np.sum(dy[i] <= MARGIN)
        else:
            k_i = k
            n_x = np.sum(dx[i] <= rho[i] - MARGIN)
            n_y = np.sum(dy[i] <= rho[i] - MARGIN)
        total += digamma(k_i) + np.log(n) - digamma(n_x) - digamma(n_y)
    return total / n


def unit_variance(v):
    """The centring and scaling the estimator applies to a continuous column."""
    v = v - v.mean()
    return v / v.std()


def poisson_pair(seed, n=400):
    rng = np.random.default_rng(seed)
    x = rng.poisson(3.0, n).astype(float)
    y = x + rng.poisson(2.0, n)
    return x, y


def test_reference_on_a_hand_example():
    # x = y = [0, 0, 1, 3] with k = 1: the first two samples are one atom of
    # two (k~ = n_x = n_y = 2); for x = 1, rho = 1 and only the sample itself
    # lies within rho - 1e-15; for x = 3, rho = 2 and likewise.
    x = np.array([0.0, 0.0, 1.0, 3.0])
    terms = [-digamma(2), -digamma(2), -digamma(1), -digamma(1)]
    assert reference_gao(x, x, 1) == pytest.approx(np.log(4) + np.mean(terms))


@pytest.mark.parametrize("seed", range(4))
@pytest.mark.parametrize("k", [3, 5])
def test_gao_on_scaled_integers_equals_the_reference(seed, k):
    x, y = poisson_pair(seed)
    expected = reference_gao(unit_variance(x), unit_variance(y), k)
    got = KSG(k, ties="mixed").mutual_info(x, y)
    assert got == pytest.approx(expected, abs=1e-12)
    # the kernel on the scaled columns, whatever their last bits
    got = gao_mi(unit_variance(x)[:, None], unit_variance(y)[:, None], k)
    assert got == pytest.approx(expected, abs=1e-12)


def test_the_margin_matters_on_scaled_integers():
    # Without the margin (counting d < rho exactly) the estimate differs from
    # the reference on these data: the test above is not vacuous.
    x, y = poisson_pair(0)
    xs, ys = unit_variance(x), unit_variance(y)
    dx, dy = max_norm_distances(xs), max_norm_distances(ys)
    rho = np.sort(np.maximum(dx, dy), axis=1)[:, 5]
    ulp_close = np.abs(dx - rho[:, None])
    assert np.any((ulp_close > 0) & (ulp_close < 1e-15))


@pytest.mark.parametrize("seed", range(3))
def test_gao_with_a_discrete_target_equals_the_reference(seed):
    # Classes of a discrete y are infinitely far apart: y as a column of
    # class codes times a distance larger than any gap of x gives the same
    # counts in the reference.
    rng = np.random.default_rng(seed)
    labels = rng.integers(0, 3, 300)
    x = rng.poisson(2.0 + labels).astype(float)
    xs = unit_variance(x)
    far = 10.0 * (np.ptp(xs) + 1.0)
    expected = reference_gao(xs, labels * far, 4)
    levels = [np.flatnonzero(labels == c) for c in range(3)]
    assert gao_mi_discrete(xs[:, None], levels, 4) == pytest.approx(expected, abs=1e-12)
    got = KSG(4, ties="mixed").mutual_info(x, labels, y_discrete=True)
    assert got == pytest.approx(expected, abs=1e-12)
