"""The k-NN kernels against O(n^2) brute force written from the papers.

Every reference below is computed from a full matrix of maximum-norm
distances, straight from the definitions in the papers:

* KSG, algorithm 1 (Kraskov, Stögbauer and Grassberger 2004, eq. 8);
* Ross (2014), eq. 2, for a continuous and a discrete variable;
* Frenzel and Pompe (2007), eq. 8, for conditional MI;
* Kozachenko-Leonenko entropy in the maximum norm (Kraskov et al., eq. 20);
* Gao, Kannan, Oh and Viswanath (2017), algorithm 1, for mixtures, in the
  form of the authors' reference code (digamma of strict counts that include
  the sample itself), not the paper's printed ``log(n + 1)`` of
  boundary-inclusive counts.

Floating-point distances are computed as ``|a - b|`` per coordinate, the
only exact definition a kernel can match bit for bit; on tie-free data the
estimates must agree to 1e-10.
"""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.special import digamma

from skmi.estimators._ksg import (
    gao_mi,
    gao_mi_discrete,
    kl_entropy,
    ksg_cmi,
    ksg_mi,
    ksg_mi_1d,
    ross_mi,
    ross_mi_1d,
)
from skmi.estimators._neighbors import (
    BallCounter,
    count_strict,
    count_strict_sorted,
    kth_distance,
    kth_distance_blocks,
    kth_distance_sorted,
)

TOL = 1e-10
SEEDS = [0, 1, 2]


# --------------------------------------------------------------------------
# brute-force references
# --------------------------------------------------------------------------
def as2d(a):
    a = np.asarray(a, dtype=np.float64)
    return a[:, None] if a.ndim == 1 else a


def distances(*blocks):
    """Max-norm distance matrix of the joint variable of ``blocks``."""
    a = np.hstack([as2d(b) for b in blocks])
    return np.max(np.abs(a[:, None, :] - a[None, :, :]), axis=2)


def kth(dist, k):
    """Distance from each point to its k-th nearest other point (k may vary)."""
    d = dist.copy()
    np.fill_diagonal(d, np.inf)
    k = np.broadcast_to(np.asarray(k), (d.shape[0],))
    return np.sort(d, axis=1)[np.arange(d.shape[0]), k - 1]


def strict(dist, radius):
    """Number of points j != i with dist[i, j] < radius[i]."""
    d = dist.copy()
    np.fill_diagonal(d, np.inf)
    return np.sum(d < radius[:, None], axis=1)


def at_most(dist, radius):
    """Number of points j != i with dist[i, j] <= radius[i]."""
    d = dist.copy()
    np.fill_diagonal(d, np.inf)
    return np.sum(d <= radius[:, None], axis=1)


def bf_ksg(x, y, k):
    n = len(x)
    eps = kth(distances(x, y), k)
    nx = strict(distances(x), eps)
    ny = strict(distances(y), eps)
    return digamma(k) + digamma(n) - np.mean(digamma(nx + 1) + digamma(ny + 1))


def bf_frenzel_pompe(x, y, z, k):
    eps = kth(distances(x, y, z), k)
    nxz = strict(distances(x, z), eps)
    nyz = strict(distances(y, z), eps)
    nz = strict(distances(z), eps)
    return digamma(k) - np.mean(digamma(nxz + 1) + digamma(nyz + 1) - digamma(nz + 1))


def class_sizes(labels):
    _, inverse, counts = np.unique(labels, return_inverse=True, return_counts=True)
    return counts[inverse]


def same_class_distances(x, labels):
    """Max-norm distances in x, infinite between samples of different classes."""
    d = distances(x)
    d[labels[:, None] != labels[None, :]] = np.inf
    return d


def bf_ross(x, labels, k):
    keep = class_sizes(labels) > 1  # singleton classes have no neighbour
    x, labels = as2d(x)[keep], labels[keep]
    n = len(labels)
    sizes = class_sizes(labels)
    k_i = np.minimum(k, sizes - 1)
    d = kth(same_class_distances(x, labels), k_i)
    m = strict(distances(x), d) + 1  # the sample itself is counted
    return (
        digamma(n)
        + np.mean(digamma(k_i))
        - np.mean(digamma(sizes))
        - np.mean(digamma(m))
    )


def bf_kl_entropy(x, k):
    x = as2d(x)
    n, d = x.shape
    eps = kth(distances(x), k)
    return digamma(n) - digamma(k) + d * np.mean(np.log(2 * eps))


def bf_gao(dxy, dx, dy, k):
    """Gao et al.'s algorithm as in the authors' reference code (k may vary).

    ``rho`` is the distance to the k-th other sample in the joint space. Where
    ``rho > 0``: ``k~ = k`` and ``n_x``, ``n_y`` count the samples strictly
    closer than ``rho`` in each marginal; where ``rho = 0``: ``k~``, ``n_x``
    and ``n_y`` count the samples at distance 0. Every count includes the
    sample itself; the estimate is ``<psi(k~) + log N - psi(n_x) - psi(n_y)>``.
    """
    n = dxy.shape[0]
    rho = kth(dxy, k)
    atom = rho == 0
    zero = np.zeros(n)
    k_tilde = np.where(atom, at_most(dxy, zero) + 1, k)
    nx = np.where(atom, at_most(dx, zero), strict(dx, rho)) + 1
    ny = np.where(atom, at_most(dy, zero), strict(dy, rho)) + 1
    return np.mean(digamma(k_tilde) + np.log(n) - digamma(nx) - digamma(ny))


def bf_gao_discrete(x, labels, k):
    """Gao et al. with a discrete y whose classes are infinitely far apart."""
    keep = class_sizes(labels) > 1
    x, labels = as2d(x)[keep], labels[keep]
    dy = np.where(labels[:, None] == labels[None, :], 0.0, np.inf)
    dx = distances(x)
    k_i = np.minimum(k, class_sizes(labels) - 1)
    return bf_gao(np.maximum(dx, dy), dx, dy, k_i)


# --------------------------------------------------------------------------
# data
# --------------------------------------------------------------------------
def correlated(seed, n, dx, dy):
    """Tie-free continuous x (n, dx), y (n, dy) with some dependence."""
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((n, dx))
    mix = rng.standard_normal((dx, dy))
    y = x @ mix / np.sqrt(dx) + 0.7 * rng.standard_normal((n, dy))
    return x, y


def labelled(seed, n, d):
    """Continuous x (n, d) and labels with unequal, tiny and singleton classes."""
    rng = np.random.default_rng(seed)
    labels = rng.choice(4, size=n, p=[0.5, 0.3, 0.15, 0.05])
    labels[:3] = [7, 8, 8]  # a singleton class and a class of two
    x = rng.standard_normal((n, d)) + labels[:, None] * 0.4
    return x, labels


def level_indices(labels):
    return [np.flatnonzero(labels == v) for v in np.unique(labels)]


# --------------------------------------------------------------------------
# the references themselves (a reference that cannot be wrong is untested)
# --------------------------------------------------------------------------
def test_reference_helpers_on_a_hand_example():
    x = np.array([0.0, 1.0, 3.0, 6.0])
    d = distances(x)
    assert kth(d, 1).tolist() == [1.0, 1.0, 2.0, 3.0]
    assert kth(d, 2).tolist() == [3.0, 2.0, 3.0, 5.0]
    assert strict(d, np.array([1.0, 1.5, 3.0, 3.0])).tolist() == [0, 1, 1, 0]
    assert at_most(d, np.array([1.0, 1.5, 3.0, 3.0])).tolist() == [1, 1, 3, 1]
    # KSG on y = x (n = 4, k = 1): eps = [1, 1, 2, 3] and no point lies
    # strictly closer, so nx = ny = 0 and I = psi(4) - psi(1) = 1 + 1/2 + 1/3.
    assert bf_ksg(x, x, 1) == pytest.approx(11 / 6, abs=1e-14)
    # Ross with classes {0, 1} and {3, 6}, k = 1: d = [1, 1, 3, 3]; strictly
    # within d lie the sample itself and, for x = 3, the point x = 1.
    labels = np.array([0, 0, 1, 1])
    expected = digamma(4) + digamma(1) - digamma(2) - np.mean(digamma([1, 1, 2, 1]))
    assert bf_ross(x, labels, 1) == pytest.approx(expected, abs=1e-14)


def test_gao_reference_on_a_hand_example():
    # x = [0, 0, 1, 3], y = [0, 0, 2, 7], k = 1. The first two samples coincide:
    # rho = 0 and k~ = n_x = n_y = 2. Sample 3 has rho = 2: x = 0, 0, 1 lie
    # strictly within 2 of x = 1, only y = 2 itself within 2 of y = 2.
    # Sample 4 has rho = 5: every x, and only y = 7 itself.
    x = np.array([0.0, 0.0, 1.0, 3.0])
    y = np.array([0.0, 0.0, 2.0, 7.0])
    terms = [
        digamma(2) - 2 * digamma(2),
        digamma(2) - 2 * digamma(2),
        digamma(1) - digamma(3) - digamma(1),
        digamma(1) - digamma(4) - digamma(1),
    ]
    expected = np.log(4) + np.mean(terms)
    got = bf_gao(distances(x, y), distances(x), distances(y), 1)
    assert got == pytest.approx(expected, abs=1e-14)
    assert expected == pytest.approx(np.log(4) + np.euler_gamma - 4 / 3, abs=1e-14)


# --------------------------------------------------------------------------
# kernels against the references
# --------------------------------------------------------------------------
@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("k", [1, 3, 7])
@pytest.mark.parametrize("dims", [(1, 1), (3, 3), (1, 3)])
def test_ksg_mi(seed, k, dims):
    x, y = correlated(seed, 300, *dims)
    assert ksg_mi(x, y, k) == pytest.approx(bf_ksg(x, y, k), abs=TOL)


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("k", [1, 3, 7])
def test_ksg_mi_1d(seed, k):
    x, y = correlated(seed, 400, 1, 1)
    x, y = x[:, 0], y[:, 0]
    expected = bf_ksg(x, y, k)
    assert ksg_mi_1d(x, y, k) == pytest.approx(expected, abs=TOL)
    assert ksg_mi_1d(x, y, k, y_order=np.argsort(y)) == pytest.approx(expected, abs=TOL)


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("k", [1, 3, 7])
@pytest.mark.parametrize("dims", [(1, 1, 1), (3, 3, 3), (1, 1, 3), (3, 1, 1)])
def test_frenzel_pompe_cmi(seed, k, dims):
    rng = np.random.default_rng(seed)
    dx, dy, dz = dims
    z = rng.standard_normal((250, dz))
    x = z[:, :1] + rng.standard_normal((250, dx))
    y = x[:, :1] + z[:, -1:] + rng.standard_normal((250, dy))
    assert ksg_cmi(x, y, z, k) == pytest.approx(bf_frenzel_pompe(x, y, z, k), abs=TOL)


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("k", [1, 3, 7])
@pytest.mark.parametrize("d", [1, 3])
def test_ross_mi(seed, k, d):
    x, labels = labelled(seed, 300, d)
    expected = bf_ross(x, labels, k)
    assert ross_mi(x, level_indices(labels), k) == pytest.approx(expected, abs=TOL)


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("k", [1, 3, 7])
def test_ross_mi_1d(seed, k):
    x, labels = labelled(seed, 400, 1)
    expected = bf_ross(x, labels, k)
    got = ross_mi_1d(x[:, 0], level_indices(labels), k)
    assert got == pytest.approx(expected, abs=TOL)


@pytest.mark.parametrize("n_levels", [3, 260, 700])
def test_ross_many_levels(n_levels):
    # more than 256 levels (wider label codes), most classes tiny or single
    rng = np.random.default_rng(n_levels)
    x = rng.standard_normal(500)
    labels = rng.integers(0, n_levels, 500)
    levels = level_indices(labels)
    expected = bf_ross(x, labels, 3)
    assert ross_mi_1d(x, levels, 3) == pytest.approx(expected, abs=TOL)
    assert ross_mi(x[:, None], levels, 3) == pytest.approx(expected, abs=TOL)


def test_ross_all_singletons_is_zero():
    x = np.arange(5.0)[:, None]
    labels = np.arange(5)
    assert ross_mi(x, level_indices(labels), 3) == 0.0
    assert ross_mi_1d(x[:, 0], level_indices(labels), 3) == 0.0


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("k", [1, 3, 7])
@pytest.mark.parametrize("d", [1, 3])
def test_kl_entropy(seed, k, d):
    x = np.random.default_rng(seed).standard_normal((400, d))
    assert kl_entropy(x, k) == pytest.approx(bf_kl_entropy(x, k), abs=TOL)


def mixture(seed, n, d):
    """Columns that mix atoms (repeated values) with continuous values."""
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((n, d))
    atom = rng.random((n, d)) < 0.3
    x[atom] = rng.integers(0, 3, size=np.count_nonzero(atom)).astype(float)
    y = x[:, :1] + 0.5 * rng.standard_normal((n, 1))
    y[rng.random(n) < 0.3, 0] = 0.0
    return x, y


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("k", [1, 3, 7])
@pytest.mark.parametrize("d", [1, 3])
@pytest.mark.parametrize("sample", [correlated, mixture], ids=["tie-free", "atoms"])
def test_gao_mi(seed, k, d, sample):
    x, y = sample(seed, 300, d) if sample is mixture else sample(seed, 300, d, 1)
    expected = bf_gao(distances(x, y), distances(x), distances(y), k)
    assert gao_mi(x, y, k) == pytest.approx(expected, abs=TOL)


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("k", [1, 3, 7])
@pytest.mark.parametrize("d", [1, 3])
def test_gao_mi_discrete(seed, k, d):
    x, labels = labelled(seed, 300, d)
    atoms = np.random.default_rng(seed).random(300) < 0.2
    x[atoms] = np.round(x[atoms])  # repeated values within and across classes
    expected = bf_gao_discrete(x, labels, k)
    got = gao_mi_discrete(x, level_indices(labels), k)
    assert got == pytest.approx(expected, abs=TOL)


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("k", [1, 3])
def test_gao_without_ties_is_ksg_and_ross_with_log_n(seed, k):
    # On tie-free data the reference code's estimator is KSG (and, with a
    # discrete y, Ross) with log N in place of psi(N).
    x, y = correlated(seed, 300, 1, 1)
    shift = np.log(300) - digamma(300)
    assert gao_mi(x, y, k) == pytest.approx(ksg_mi(x, y, k) + shift, abs=TOL)
    x, labels = labelled(seed, 300, 2)
    kept = 300 - 1  # the singleton class is left out by both
    got = gao_mi_discrete(x, level_indices(labels), k)
    expected = ross_mi(x, level_indices(labels), k) + np.log(kept) - digamma(kept)
    assert got == pytest.approx(expected, abs=TOL)


def test_gao_on_discrete_data_is_plug_in():
    # With only atoms, algorithm 1 reduces to the plug-in estimate (Gao et al.,
    # section 3): a check of the reference that does not use the reference.
    rng = np.random.default_rng(0)
    x = rng.integers(0, 3, 300).astype(float)
    y = (x + (rng.random(300) < 0.3)) % 3
    pxy = np.histogram2d(x, y, bins=[3, 3])[0] / 300
    px, py = pxy.sum(1, keepdims=True), pxy.sum(0, keepdims=True)
    nz = pxy > 0
    plug_in = np.sum(pxy[nz] * np.log(pxy[nz] / (px @ py)[nz]))
    x2, y2 = x[:, None], y[:, None]
    expected = bf_gao(distances(x2, y2), distances(x2), distances(y2), 3)
    assert expected == pytest.approx(plug_in, abs=0.05)
    assert gao_mi(x2, y2, 3) == pytest.approx(expected, abs=TOL)


# --------------------------------------------------------------------------
# neighbour helpers, including adversarial floating point
# --------------------------------------------------------------------------
def adversarial_values(seed, n=300):
    """Values spanning 1e-300..1e300, both signs, zeros and many duplicates."""
    rng = np.random.default_rng(seed)
    mags = 10.0 ** rng.uniform(-300, 300, size=n)
    v = mags * rng.choice([-1.0, 1.0], size=n)
    v[rng.random(n) < 0.1] = 0.0
    dup = rng.random(n) < 0.3
    v[dup] = rng.choice(v[~dup], size=np.count_nonzero(dup))
    return v


def clustered_values(seed, n=300):
    """Clusters at several scales with near-ties one ulp apart."""
    rng = np.random.default_rng(seed)
    centres = rng.choice([-1e200, -3.5, -1e-200, 0.0, 1e-7, 1.0, 7e150], size=n)
    v = centres + centres * rng.integers(-3, 4, size=n) * np.finfo(float).eps
    v = np.where(rng.random(n) < 0.3, np.nextafter(v, np.inf), v)
    return v


VALUE_SETS = [
    pytest.param(adversarial_values, id="scales"),
    pytest.param(clustered_values, id="clusters"),
    pytest.param(
        lambda seed: np.random.default_rng(seed).integers(-5, 5, 200).astype(float),
        id="integers",
    ),
]


def radii_from_distances(x, seed):
    """Radii that each equal an exact pairwise distance of the points."""
    rng = np.random.default_rng(seed)
    partner = rng.integers(0, len(x), size=len(x))
    return np.abs(x - x[partner])


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("values", VALUE_SETS)
def test_count_strict_sorted_at_exact_distances(seed, values):
    x = values(seed)
    r = radii_from_distances(x, seed)
    r = np.where(r == 0, np.abs(x) + 1.0, r)  # zero radii are tested below
    expected = strict(distances(x), r) + 1
    assert np.array_equal(count_strict_sorted(np.sort(x), x, r), expected)
    assert np.array_equal(count_strict(x[:, None], r), expected)
    # centres in ascending order (the fast path of the 1-D estimators)
    order = np.argsort(x, kind="stable")
    got = count_strict_sorted(x[order], x[order], r[order])
    assert np.array_equal(got, expected[order])


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("values", VALUE_SETS)
def test_count_strict_sorted_with_smooth_and_rough_radii(seed, values):
    """Bounds nearly in order are searched as they are, others sorted first;
    both give the brute-force counts, and the search positions of both are
    those of ``np.searchsorted``."""
    from skmi.estimators._neighbors import _search_sorted_needles

    xs = np.sort(values(seed))
    rng = np.random.default_rng(seed)
    smooth = np.full(xs.size, np.abs(xs).mean() + 1.0)
    rough = smooth * 10.0 ** rng.uniform(-12, 0, xs.size)
    for radius in (smooth, rough):
        expected = strict(distances(xs), radius) + 1
        assert np.array_equal(count_strict_sorted(xs, xs, radius), expected)
        for needles in (xs - radius, xs + radius):
            for side in ("left", "right"):
                assert np.array_equal(
                    _search_sorted_needles(xs, needles, side),
                    np.searchsorted(xs, needles, side=side),
                )


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("values", VALUE_SETS)
def test_count_strict_sorted_centres_outside_the_sample(seed, values):
    x = values(seed)
    rng = np.random.default_rng(seed + 100)
    centres = np.concatenate([np.nextafter(x, np.inf), rng.choice(x, 50) / 3])
    radii = np.abs(centres - rng.choice(x, size=centres.size))
    radii[radii == 0] = 1.0
    expected = np.sum(np.abs(x[None, :] - centres[:, None]) < radii[:, None], axis=1)
    assert np.array_equal(count_strict_sorted(np.sort(x), centres, radii), expected)


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("values", VALUE_SETS)
def test_kth_distance_against_brute_force(seed, values):
    x = values(seed)
    d = distances(x)
    order = np.argsort(x, kind="stable")
    for k in [1, 2, 5, 20]:
        expected = kth(d, k)
        assert np.array_equal(kth_distance(x[:, None], k), expected)
        assert np.array_equal(kth_distance_sorted(x[order], k), expected[order])


@pytest.mark.parametrize("seed", SEEDS)
def test_multivariate_helpers_with_duplicates_and_scales(seed):
    rng = np.random.default_rng(seed)
    x = np.column_stack([adversarial_values(seed, 250), rng.integers(-3, 3, 250)])
    x[rng.random(250) < 0.2] = x[0]  # repeated rows
    d = distances(x)
    for k in [1, 4, 60]:
        eps = kth(d, k)
        assert np.array_equal(kth_distance(x, k), eps)
        positive = eps > 0
        expected = strict(d, eps) + 1
        assert np.array_equal(count_strict(x, eps)[positive], expected[positive])


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("d", [2, 3, 5])
def test_count_strict_in_several_dimensions_at_exact_distances(seed, d):
    """k-d tree counts equal brute force when radii are exact distances.

    Each radius is the max-norm distance to some other point, so a count
    that used ``<=`` instead of ``<`` (or rounded the radius) differs.
    Grid coordinates make many distances tie exactly.
    """
    rng = np.random.default_rng(seed)
    n = 400
    x = rng.integers(-4, 5, size=(n, d)) * 0.1 + rng.choice(
        [0.0, 1e-12, 1e3], size=(n, 1)
    )
    x[rng.random(n) < 0.1] = x[0]
    dist = distances(x)
    partner = rng.integers(0, n, size=n)
    r = dist[np.arange(n), partner]
    r[r == 0] = 0.25
    expected = strict(dist, r) + 1
    assert np.array_equal(count_strict(x, r), expected)
    # a counter built once answers many radius vectors
    counter = BallCounter(x)
    for scale in [1.0, 0.5, 3.0]:
        rs = r * scale
        assert np.array_equal(counter.count(rs), strict(dist, rs) + 1)
    assert counter.count(np.zeros(n)).tolist() == [0] * n


def test_count_strict_zero_radius_counts_nothing():
    # d < 0 holds for no distance, so every strict count is zero (a k-th
    # neighbour distance of zero happens with duplicated values).
    x = np.array([-1.0, 0.0, 0.0, 0.0, 2.0, 2.0, 3.0])
    zero = np.zeros(x.size)
    assert count_strict(np.column_stack([x, x]), zero).tolist() == [0] * 7
    assert count_strict_sorted(np.sort(x), x, zero).tolist() == [0] * 7
    assert count_strict(x[:, None], zero).tolist() == [0] * 7


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("k", [1, 3, 6])
@pytest.mark.parametrize("values", VALUE_SETS)
def test_kth_distance_blocks(seed, k, values):
    # blocks of sizes 1 (no neighbour), 2, <= k and > k, each sorted
    x = values(seed)
    rng = np.random.default_rng(seed)
    sizes = np.array([1, 2, k, k + 1, 1, 40])
    sizes = np.append(sizes, x.size - sizes.sum())
    labels = np.repeat(np.arange(sizes.size), sizes)
    rng.shuffle(labels)
    order = np.lexsort((x, labels))  # by block, ascending within each block
    xs, ls = x[order], labels[order]
    d = same_class_distances(xs, ls)
    in_block = class_sizes(ls)
    expected = np.full(x.size, np.inf)
    multi = in_block > 1
    expected[multi] = kth(d, np.minimum(k, in_block - 1))[multi]
    got = kth_distance_blocks(xs, k, sizes)
    assert np.array_equal(got, expected)


# --------------------------------------------------------------------------
# generated data: marginal ties, exact invariances
# --------------------------------------------------------------------------
grid_points = st.lists(
    st.tuples(st.integers(-6, 6), st.integers(-6, 6)),
    min_size=9,
    max_size=40,
    unique=True,
)


@settings(max_examples=60, deadline=None)
@given(
    points=grid_points,
    k=st.integers(1, 7),
    shift=st.integers(-(10**6), 10**6),
    power=st.integers(-40, 40),
)
def test_ksg_with_marginal_ties_and_exact_invariance(points, k, shift, power):
    # Distinct joint points (so every eps > 0) with many ties in each margin;
    # translations and a common power-of-two scale are exact in floating point,
    # so the estimate must not change by a single bit.
    xy = np.array(points, dtype=float)
    x, y = xy[:, :1], xy[:, 1:]
    expected = bf_ksg(x, y, k)
    got = ksg_mi(x, y, k)
    assert got == pytest.approx(expected, abs=TOL)
    assert ksg_mi_1d(x[:, 0], y[:, 0], k) == pytest.approx(expected, abs=TOL)
    scale = 2.0**power
    x2, y2 = (x + shift) * scale, (y - 3 * shift) * scale
    assert ksg_mi(x2, y2, k) == got
    assert ksg_mi_1d(x2[:, 0], y2[:, 0], k) == pytest.approx(got, abs=TOL)


@settings(max_examples=60, deadline=None)
@given(
    values=st.lists(st.integers(-200, 200), min_size=6, max_size=40, unique=True),
    data=st.data(),
    k=st.integers(1, 6),
    power=st.integers(-40, 40),
)
def test_ross_with_generated_classes(values, data, k, power):
    x = np.array(values, dtype=float) * 2.0**power
    labels = np.array(
        data.draw(st.lists(st.integers(0, 3), min_size=x.size, max_size=x.size))
    )
    expected = bf_ross(x, labels, k)
    levels = level_indices(labels)
    assert ross_mi_1d(x, levels, k) == pytest.approx(expected, abs=TOL)
    assert ross_mi(x[:, None], levels, k) == pytest.approx(expected, abs=TOL)
