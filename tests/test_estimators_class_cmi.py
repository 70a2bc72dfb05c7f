"""``I(X; Y | Z)`` with a discrete ``Y``: Frenzel-Pompe within the classes of Y.

The estimator (``ross_cmi``) takes every term on the same ball, the k-th
neighbour of the sample's class in the ``(x, z)`` space. Tested against an
O(n^2) brute force written from the definition, against analytic values, and
for its spread against the difference of two Ross estimates
``I(X, Z; Y) - I(Z; Y)`` that it replaces.
"""

import functools
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pytest
from scipy.special import digamma
from scipy.stats import norm
from test_estimators_bruteforce import as2d, distances, level_indices

from skmi.estimators import KSG, _conditioning
from skmi.estimators._conditioning import FrenzelPompeStep, WithinClassStep
from skmi.estimators._ksg import ClassConditioning, ross_cmi, ross_mi
from skmi.estimators._variables import Variable
from skmi.selection._forward import ForwardParams, forward_select

TOL = 1e-10
SEEDS = [0, 1, 2]


# --------------------------------------------------------------------------
# brute force from the definition
# --------------------------------------------------------------------------
def bf_class_cmi(x, z, labels, k):
    """Frenzel-Pompe with the classes infinitely far apart, from distances."""
    _, inverse, sizes = np.unique(labels, return_inverse=True, return_counts=True)
    keep = sizes[inverse] > 1
    x, z, labels = as2d(x)[keep], as2d(z)[keep], labels[keep]
    same = labels[:, None] == labels[None, :]
    d_xz, d_z = distances(x, z), distances(z)
    joint = np.where(same, d_xz, np.inf)
    np.fill_diagonal(joint, np.inf)
    k_i = np.minimum(k, same.sum(axis=1) - 1)
    eps = np.sort(joint, axis=1)[np.arange(len(labels)), k_i - 1]
    inside = d_xz < eps[:, None]  # the sample itself included (distance 0)
    n_xz = inside.sum(axis=1)
    n_z = (d_z < eps[:, None]).sum(axis=1)
    n_yz = ((d_z < eps[:, None]) & same).sum(axis=1)
    return np.mean(digamma(k_i) - digamma(n_xz) - digamma(n_yz) + digamma(n_z))


def labelled(seed, n, dx, dz):
    """x (n, dx), z (n, dz), labels with unequal, tiny and singleton classes."""
    rng = np.random.default_rng(seed)
    labels = rng.choice(3, size=n, p=[0.6, 0.3, 0.1])
    labels[:3] = [7, 8, 8]
    z = rng.standard_normal((n, dz))
    x = rng.standard_normal((n, dx)) + 0.5 * labels[:, None] + z[:, :1]
    return x, z, labels


def test_reference_on_a_hand_example():
    # classes {0, 1} and {2, 3}; x = [0, 1, 3, 6], z = [0, 0, 1, 1], k = 1.
    # (x, z) distances within a class: 1 and 3, so eps = [1, 1, 3, 3].
    # Strictly within eps: in (x, z) [1, 1, 2, 1] (sample 2 also sees x = 1);
    # in z over all classes [2, 2, 4, 4]; in z within the class [2, 2, 2, 2].
    x = np.array([0.0, 1.0, 3.0, 6.0])
    z = np.array([0.0, 0.0, 1.0, 1.0])
    labels = np.array([0, 0, 1, 1])
    expected = np.mean(
        digamma(1) - digamma([1, 1, 2, 1]) - digamma(2) + digamma([2, 2, 4, 4])
    )
    assert bf_class_cmi(x, z, labels, 1) == pytest.approx(expected, abs=1e-14)
    got = ross_cmi(as2d(x), as2d(z), level_indices(labels), 1)
    assert got == pytest.approx(expected, abs=1e-14)


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("k", [1, 3, 7])
@pytest.mark.parametrize("dims", [(1, 1), (2, 1), (1, 3), (2, 2)])
def test_ross_cmi_matches_brute_force(seed, k, dims):
    x, z, labels = labelled(seed, 250, *dims)
    expected = bf_class_cmi(x, z, labels, k)
    levels = level_indices(labels)
    assert ross_cmi(x, z, levels, k) == pytest.approx(expected, abs=TOL)
    # the structures of z and the classes, built once, give the same value
    conditioning = ClassConditioning(z, levels)
    for _ in range(2):
        got = ross_cmi(x, z, levels, k, conditioning=conditioning)
        assert got == pytest.approx(expected, abs=TOL)


def test_ross_cmi_all_singletons_is_zero():
    x = np.arange(5.0)[:, None]
    assert ross_cmi(x, x, level_indices(np.arange(5)), 3) == 0.0


def test_dispatch_uses_the_class_conditional_estimator():
    x, z, labels = labelled(0, 300, 1, 1)
    est = KSG(n_neighbors=3)
    xv, zv = est.prepare(np.column_stack([x, z]), np.zeros(2, bool), 0)
    yv = Variable.from_discrete(labels)
    expected = ross_cmi(xv.continuous, zv.continuous, yv.level_indices, 3)
    assert est.conditional_mutual_info_prepared(xv, yv, zv) == expected
    # either argument may be the discrete one
    assert est.conditional_mutual_info_prepared(yv, xv, zv) == expected


# --------------------------------------------------------------------------
# analytic values
# --------------------------------------------------------------------------
PER_CLASS_R = (0.8, 0.2)
PER_CLASS_XZ_GIVEN_Y = 0.2656183105  # ORACLES.md: I(X; Z | Y)


def per_class(n, seed, r=PER_CLASS_R):
    """y ~ Bernoulli(1/2), (x, z) | y ~ N(0, [[1, r_y], [r_y, 1]])."""
    rng = np.random.default_rng(seed)
    y = rng.integers(0, 2, n)
    r_y = np.where(y == 1, r[1], r[0])
    z = rng.standard_normal(n)
    x = r_y * z + np.sqrt(1 - r_y**2) * rng.standard_normal(n)
    return x, y, z


@functools.cache
def per_class_mutual_info_xz(r=PER_CLASS_R, half_width=9.0, steps=1201):
    """I(X; Z) of the two-component mixture, by quadrature on a grid."""
    t = np.linspace(-half_width, half_width, steps)
    h = t[1] - t[0]
    a, b = np.meshgrid(t, t)

    def density(rho):
        q = (a**2 - 2 * rho * a * b + b**2) / (2 * (1 - rho**2))
        return np.exp(-q) / (2 * np.pi * np.sqrt(1 - rho**2))

    p = 0.5 * density(r[0]) + 0.5 * density(r[1])
    independent = norm.pdf(a) * norm.pdf(b)
    return float(np.sum(p * np.log(p / independent)) * h * h)


def per_class_truth():
    # X and Y are independent (X ~ N(0, 1) in both classes), so
    # I(X; Y, Z) = I(X; Z | Y) = I(X; Z) + I(X; Y | Z).
    return PER_CLASS_XZ_GIVEN_Y - per_class_mutual_info_xz()


def test_per_class_truth_two_ways():
    # quadrature against Monte Carlo of E log p(x, z) / (phi(x) phi(z))
    x, _, z = per_class(200_000, 0)
    log_mix = np.logaddexp(
        *[
            -(x**2 - 2 * r * x * z + z**2) / (2 * (1 - r**2))
            - np.log(2 * np.pi * np.sqrt(1 - r**2))
            for r in PER_CLASS_R
        ]
    ) - np.log(2)
    monte_carlo = np.mean(log_mix - norm.logpdf(x) - norm.logpdf(z))
    assert per_class_mutual_info_xz() == pytest.approx(monte_carlo, abs=0.005)
    fine = per_class_mutual_info_xz(steps=2401)
    assert per_class_mutual_info_xz() == pytest.approx(fine, abs=1e-9)
    assert per_class_truth() == pytest.approx(0.1010106, abs=1e-6)


def average(estimate, sample, seeds):
    return float(np.mean([estimate(*sample(seed)) for seed in seeds]))


def test_per_class_conditional_mi():
    n = 2000
    got = average(
        lambda x, y, z: KSG(random_state=0).conditional_mutual_info(
            x, y, z, y_discrete=True
        ),
        lambda seed: per_class(n, seed),
        range(4),
    )
    assert got == pytest.approx(per_class_truth(), abs=0.015)


def test_class_conditional_with_independent_z_is_the_marginal_mi():
    # x | y ~ N(+-1, 1) and z independent noise: I(X; Y | Z) = I(X; Y)
    n = 2000

    def sample(seed):
        rng = np.random.default_rng(seed)
        y = rng.integers(0, 2, n)
        return rng.standard_normal(n) + np.where(y == 1, 1, -1), y, rng.random(n)

    got = average(
        lambda x, y, z: KSG(random_state=0).conditional_mutual_info(
            x, y, z, y_discrete=True
        ),
        sample,
        range(6),
    )
    assert got == pytest.approx(0.3368308203, abs=0.02)


def test_class_conditional_independence_is_near_zero():
    # y depends on z only and x is a noisy copy of z: I(X; Y | Z) = 0
    n = 2000

    def sample(seed):
        rng = np.random.default_rng(seed)
        z = rng.standard_normal((n, 2))
        y = (z[:, 0] + 0.5 * rng.standard_normal(n) > 0).astype(int)
        return z[:, 1] + 0.3 * rng.standard_normal(n), y, z

    got = average(
        lambda x, y, z: KSG(random_state=0).conditional_mutual_info(
            x, y, z, y_discrete=True
        ),
        sample,
        range(6),
    )
    assert abs(got) < 0.02


# --------------------------------------------------------------------------
# spread against the difference of two Ross estimates
# --------------------------------------------------------------------------
def difference_of_ross(x, y, z, k):
    """The estimate this estimator replaces: I(X, Z; Y) - I(Z; Y)."""
    levels = Variable.from_discrete(y).level_indices
    xz = np.column_stack([x, z])
    return ross_mi(xz, levels, k) - ross_mi(xz[:, 1:], levels, k)


def standardise(*columns):
    return [(c - c.mean()) / c.std() for c in columns]


@pytest.mark.slow
def test_spread_is_smaller_than_the_difference_of_ross_estimates():
    # n = 400, k = 3, the same 120 samples for both: the class-conditional
    # estimate has about 0.8 times the spread (sd 0.029 against 0.036) and
    # the same mean.
    new, old = [], []
    for seed in range(120):
        x, y, z = per_class(400, seed)
        x, z = standardise(x, z)
        levels = Variable.from_discrete(y).level_indices
        new.append(ross_cmi(x[:, None], z[:, None], levels, 3))
        old.append(difference_of_ross(x, y, z, 3))
    new, old = np.array(new), np.array(old)
    assert new.std(ddof=1) < 0.9 * old.std(ddof=1)
    assert new.mean() == pytest.approx(old.mean(), abs=0.01)
    assert new.mean() == pytest.approx(per_class_truth(), abs=0.01)


def test_matches_ennemi_on_the_same_arrays():
    ennemi = pytest.importorskip("ennemi")
    for seed in SEEDS:
        x, y, z = per_class(400, seed)
        x, z = standardise(x, z)
        levels = Variable.from_discrete(y).level_indices
        ours = ross_cmi(x[:, None], z[:, None], levels, 3)
        theirs = ennemi.estimate_mi(
            y, x, cond=z, k=3, discrete_y=True, normalize=False, preprocess=False
        )
        # ennemi evaluates digamma by its own series, good to about 1e-6
        assert ours == pytest.approx(float(np.ravel(theirs)[0]), abs=1e-5)


# --------------------------------------------------------------------------
# the per-step structures of a forward search (one Z, many candidates)
# --------------------------------------------------------------------------
def step_problem(seed, n, dz, dx=1, tiny=True):
    """Candidates of several kinds sharing one z and one set of labels."""
    x, z, labels = labelled(seed, n, dx, dz)
    if tiny:  # a class with k members or fewer for every k tested here
        labels[3:6] = 9
    rng = np.random.default_rng(seed + 100)
    xs = [
        x,
        z[:, :1] + rng.standard_normal((n, dx)),  # redundant with z
        rng.standard_normal((n, dx)),  # noise
        # near-ties: values on a grid of 0.1 with a trace of noise
        np.round(rng.standard_normal((n, dx)), 1) + 1e-9 * rng.standard_normal((n, dx)),
    ]
    return xs, z, labels


def brute_force_rows(monkeypatch):
    """Count the rows the step recomputes by brute force."""
    seen = []
    original = WithinClassStep._brute_force

    def spy(self, x, rows):
        seen.append(rows.size)
        return original(self, x, rows)

    monkeypatch.setattr(WithinClassStep, "_brute_force", spy)
    return seen


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("k", [1, 3, 7])
@pytest.mark.parametrize("dz", [1, 2, 3, 5])
@pytest.mark.parametrize("dx", [1, 2])
def test_step_equals_the_plain_estimator(seed, k, dz, dx):
    xs, z, labels = step_problem(seed, 160 + 40 * seed, dz, dx)
    levels = level_indices(labels)
    step = WithinClassStep(z, levels, k)
    assert step.use_lists == (dz >= 3)
    for x in xs:
        plain = ross_cmi(x, z, levels, k)
        assert step.cmi(x) == pytest.approx(plain, abs=1e-12)
    assert step.cmi(xs[0]) == pytest.approx(bf_class_cmi(xs[0], z, labels, k), abs=TOL)


@pytest.mark.parametrize("dz", [1, 2])
def test_lists_in_few_dimensions_equal_the_plain_estimator(monkeypatch, dz):
    monkeypatch.setattr(_conditioning, "_CLASS_LIST_MIN_DIMS", 1)
    seen = brute_force_rows(monkeypatch)
    xs, z, labels = step_problem(4, 300, dz)
    levels = level_indices(labels)
    step = WithinClassStep(z, levels, 3)
    assert step.use_lists
    for x in xs:
        assert step.cmi(x) == pytest.approx(ross_cmi(x, z, levels, 3), abs=1e-12)
    assert seen  # (the tiny class always falls back)


@pytest.mark.parametrize("start", [1, 4, 12])
def test_short_lists_fall_back_exactly_and_grow(monkeypatch, start):
    monkeypatch.setattr(_conditioning, "_LIST_START", start)
    seen = brute_force_rows(monkeypatch)
    xs, z, labels = step_problem(5, 400, 4, dx=2, tiny=False)
    levels = level_indices(labels)
    step = WithinClassStep(z, levels, 4)
    lengths = []
    for x in xs + xs:
        assert step.cmi(x) == pytest.approx(ross_cmi(x, z, levels, 4), abs=1e-12)
        lengths.append(step._lists[0])
    assert sum(seen) > 400  # most rows of the first candidate fell back
    assert lengths[0] > max(start, 8)  # and the lists grew after it
    assert lengths == sorted(lengths)


def test_lists_capped_at_all_samples(monkeypatch):
    monkeypatch.setattr(_conditioning, "_LIST_MAX_ENTRIES", 1)
    xs, z, labels = step_problem(6, 150, 3)
    levels = level_indices(labels)
    step = WithinClassStep(z, levels, 3)
    for x in xs:
        assert step.cmi(x) == pytest.approx(bf_class_cmi(x, z, labels, 3), abs=TOL)


def test_step_with_singletons_only_or_tiny_classes():
    rng = np.random.default_rng(8)
    z, x = rng.standard_normal((6, 3)), rng.standard_normal((6, 1))
    assert WithinClassStep(z, level_indices(np.arange(6)), 3).cmi(x) == 0.0
    labels = np.array([0, 0, 1, 1, 1, 2])
    levels = level_indices(labels)
    got = WithinClassStep(z, levels, 3).cmi(x)
    assert got == pytest.approx(ross_cmi(x, z, levels, 3), abs=1e-12)
    assert got == pytest.approx(bf_class_cmi(x, z, labels, 3), abs=TOL)


def test_step_shared_by_threads():
    xs, z, labels = step_problem(9, 500, 3)
    levels = level_indices(labels)
    step = WithinClassStep(z, levels, 3)
    expected = [ross_cmi(x, z, levels, 3) for x in xs]
    with ThreadPoolExecutor(4) as pool:
        got = list(pool.map(step.cmi, xs * 4))
    np.testing.assert_allclose(got, expected * 4, rtol=0, atol=1e-12)


def test_the_estimator_offers_the_step_that_applies():
    xs, z, labels = step_problem(10, 100, 2)
    zc, xc = Variable(z), Variable(xs[0])
    classes = Variable.from_discrete(labels)
    est = KSG(n_neighbors=3)
    assert isinstance(est._step_structure(classes, zc), WithinClassStep)
    assert isinstance(est._step_structure(xc, zc), FrenzelPompeStep)
    assert est._step_structure(classes, Variable.join(zc, classes)) is None
    assert est._step_structure(Variable.from_discrete(np.zeros(100)), zc) is None
    assert KSG(ties="mixed")._step_structure(classes, zc) is None
    step = est._step_structure(classes, zc)
    assert step.conditional_mutual_info(classes) is None  # general path
    assert step.conditional_mutual_info(Variable(np.zeros(100), constant=True)) == 0
    expected = est.conditional_mutual_info_prepared(xc, classes, zc)
    assert step.conditional_mutual_info(xc) == pytest.approx(expected, abs=1e-12)


def plain_greedy_class_cmi(columns, labels, k, n_select):
    """Greedy I(X_k; Y | X_S) on the plain kernels, the reference search."""
    levels = level_indices(labels)

    def score(x, selected):
        if not selected:
            return ross_mi(x, levels, k)
        z = np.hstack([columns[j].continuous for j in selected])
        return ross_cmi(x, z, levels, k)

    order, gains = [], []
    for _ in range(n_select):
        scores = [
            -np.inf if j in order else score(c.continuous, order)
            for j, c in enumerate(columns)
        ]
        order.append(int(np.argmax(scores)))
        gains.append(float(np.max(scores)))
    return order, gains


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("n_jobs", [1, 2])
def test_forward_cmi_on_classes_equals_the_plain_greedy_loop(monkeypatch, seed, n_jobs):
    seen = brute_force_rows(monkeypatch)
    rng = np.random.default_rng(seed)
    n, p = 300, 9
    X = rng.standard_normal((n, p))
    X[:, 3] = X[:, 0] + 0.3 * rng.standard_normal(n)
    signal = X[:, 0] + X[:, 1] - X[:, 2] + X[:, 4] * X[:, 5]
    labels = np.digitize(signal + 0.5 * rng.standard_normal(n), [-1, 1])
    labels[:2] = 3  # a class of two samples
    est = KSG(n_neighbors=3)
    columns = est.prepare(X, np.zeros(p, bool), 0)
    target = Variable.from_discrete(labels).precompute()
    params = ForwardParams(criterion="cmi", n_features_to_select=6, n_jobs=n_jobs)
    result = forward_select(est, columns, target, params)
    order, gains = plain_greedy_class_cmi(columns, labels, 3, 6)
    assert result.selection_order.tolist() == order
    np.testing.assert_allclose(result.gains, gains, rtol=0, atol=1e-12)
    assert seen  # the lists ran (three or more selected features)


def test_step_structures_travel_to_other_processes():
    # joblib's Dask (or loky) backend pickles the per-step structures
    import pickle

    xs, z, labels = step_problem(3, 200, 2)
    zc, xc = Variable(z), Variable(xs[0])
    classes = Variable.from_discrete(labels)
    est = KSG(n_neighbors=3)
    for target in (classes, Variable(xs[1])):
        step = est._step_structure(target.precompute(), zc)
        before = step.conditional_mutual_info(xc)
        copy = pickle.loads(pickle.dumps(step))
        assert copy.conditional_mutual_info(xc) == before
