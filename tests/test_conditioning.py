"""Per-step Frenzel-Pompe structures against brute force and the plain kernel.

:class:`~skmi.estimators._conditioning.FrenzelPompeStep` computes
``I(X; Y | Z)`` of many candidates sharing ``Y`` and ``Z``; its values must
be those of the O(n^2) brute force of Frenzel and Pompe's eq. 8 and of
:func:`~skmi.estimators._ksg.ksg_cmi`, on every path: trees (one or two
conditioning dimensions), neighbour lists, the exact fallback for rows whose
list is too short, and lists rebuilt longer. The forward search through
these structures gives the selections and gains of a plain greedy loop on
the kernel.
"""

import threading

import numpy as np
import pytest
from test_estimators_bruteforce import bf_frenzel_pompe

from skmi import ConditionalMutualInfoSelector
from skmi.estimators import KSG, _conditioning
from skmi.estimators._conditioning import FrenzelPompeStep
from skmi.estimators._ksg import ksg_cmi
from skmi.estimators._variables import Variable
from skmi.selection._forward import ForwardParams, forward_select

TOL = 1e-10


def problem(seed, n, dz, dx=1):
    rng = np.random.default_rng(seed)
    z = rng.standard_normal((n, dz))
    y = np.tanh(z.sum(axis=1, keepdims=True)) + 0.5 * rng.standard_normal((n, 1))
    xs = [
        z[:, :1] + rng.standard_normal((n, dx)),  # redundant with z
        y + 0.7 * rng.standard_normal((n, dx)),  # informative beyond z
        rng.standard_normal((n, dx)),  # noise
        np.round(rng.standard_normal((n, dx)), 1) + 1e-9 * rng.standard_normal((n, dx)),
    ]
    return xs, y, z


@pytest.mark.parametrize("seed", [0, 1])
@pytest.mark.parametrize("k", [1, 3, 8])
@pytest.mark.parametrize("dz", [1, 2, 3, 5])
def test_step_equals_brute_force(seed, k, dz):
    xs, y, z = problem(seed, 240, dz)
    step = FrenzelPompeStep(y, z, k)
    assert step.use_lists == (dz >= 3)
    for x in xs:
        expected = bf_frenzel_pompe(x, y, z, k)
        assert step.cmi(x) == pytest.approx(expected, abs=TOL)
        assert step.cmi(x) == pytest.approx(ksg_cmi(x, y, z, k), abs=1e-12)


@pytest.mark.parametrize("start", [1, 5, 12])
def test_short_lists_fall_back_exactly_and_grow(monkeypatch, start):
    """Lists far too short: most rows use the fallback; the lists then grow."""
    monkeypatch.setattr(_conditioning, "_LIST_START", start)
    xs, y, z = problem(3, 300, 4, dx=2)
    k = 4
    step = FrenzelPompeStep(y, z, k)
    lengths = []
    for x in xs + xs:
        assert step.cmi(x) == pytest.approx(bf_frenzel_pompe(x, y, z, k), abs=TOL)
        lengths.append(step._lists[0])
    assert lengths[0] > max(start, 2 * k)  # grew after the first candidate
    assert lengths == sorted(lengths)


def test_lists_capped_at_all_samples(monkeypatch):
    """With the list budget below n, every row may fall back; still exact."""
    monkeypatch.setattr(_conditioning, "_LIST_MAX_ENTRIES", 1)
    xs, y, z = problem(4, 150, 3)
    step = FrenzelPompeStep(y, z, 3)
    for x in xs:
        assert step.cmi(x) == pytest.approx(bf_frenzel_pompe(x, y, z, 3), abs=TOL)
    assert step._lists[0] == 4  # the lists hold only the k + 1 nearest samples


def test_step_shared_by_threads():
    xs, y, z = problem(5, 400, 3)
    step = FrenzelPompeStep(y, z, 3)
    expected = [ksg_cmi(x, y, z, 3) for x in xs]
    got = {}

    def run(i):
        got[i] = [step.cmi(x) for x in xs]

    threads = [threading.Thread(target=run, args=(i,)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    for values in got.values():
        np.testing.assert_allclose(values, expected, rtol=0, atol=1e-12)


def test_of_variables_only_where_frenzel_pompe_applies():
    xs, y, z = problem(6, 100, 2)
    yc, zc = Variable(y), Variable(z)
    assert FrenzelPompeStep.of_variables(yc, zc, 3) is not None
    labels = Variable.from_discrete((y[:, 0] > 0).astype(int))
    assert FrenzelPompeStep.of_variables(labels, zc, 3) is None
    mixed_z = Variable.join(zc, labels)
    assert FrenzelPompeStep.of_variables(yc, mixed_z, 3) is None
    step = FrenzelPompeStep.of_variables(yc, zc, 3)
    assert step.conditional_mutual_info(labels) is None
    assert step.conditional_mutual_info(Variable(np.zeros(100), constant=True)) == 0.0


def plain_greedy_cmi(columns, target, k, n_select):
    """Greedy I(X_k; Y | X_S) on the plain kernel, the reference search."""
    y = target.continuous
    rel = [ksg_cmi_free(c.continuous, y, k) for c in columns]
    order, gains = [int(np.argmax(rel))], [float(np.max(rel))]
    while len(order) < n_select:
        z = np.hstack([columns[j].continuous for j in order])
        scores = np.full(len(columns), -np.inf)
        for j, c in enumerate(columns):
            if j not in order:
                scores[j] = ksg_cmi(c.continuous, y, z, k)
        order.append(int(np.argmax(scores)))
        gains.append(float(np.max(scores)))
    return order, gains


def ksg_cmi_free(x, y, k):
    from skmi.estimators._ksg import ksg_mi

    return ksg_mi(x, y, k)


@pytest.mark.parametrize("seed", [0, 1, 2])
@pytest.mark.parametrize("n_jobs", [1, 2])
def test_forward_cmi_equals_plain_greedy_loop(seed, n_jobs):
    rng = np.random.default_rng(seed)
    n, p = 300, 9
    X = rng.standard_normal((n, p))
    X[:, 3] = X[:, 0] + 0.3 * rng.standard_normal(n)
    y = np.tanh(X[:, 0] + X[:, 1] - X[:, 2]) + X[:, 4] * X[:, 5]
    y += 0.3 * rng.standard_normal(n)
    est = KSG(n_neighbors=3)
    prepared = est.prepare(np.column_stack([X, y]), np.zeros(p + 1, bool), 0)
    columns, target = prepared[:p], prepared[p].precompute()
    params = ForwardParams(criterion="cmi", n_features_to_select=6, n_jobs=n_jobs)
    result = forward_select(est, columns, target, params)
    order, gains = plain_greedy_cmi(columns, target, 3, 6)
    assert result.selection_order.tolist() == order
    np.testing.assert_allclose(result.gains, gains, rtol=0, atol=1e-12)


class KSGWithoutSteps(KSG):
    """KSG that offers no per-step structures to the selection layer."""

    def _step_structure(self, target, z):
        return None


@pytest.mark.parametrize("criterion", ["cmi", "cmim"])
def test_selector_values_unchanged_by_the_step(monkeypatch, criterion):
    """The selector gives the same fit with and without the per-step structures."""
    rng = np.random.default_rng(7)
    X = rng.standard_normal((250, 7))
    y = X[:, 0] - X[:, 1] * X[:, 2] + 0.4 * rng.standard_normal(250)
    kw = dict(criterion=criterion, random_state=0, n_jobs=1)
    used = []
    original = FrenzelPompeStep.conditional_mutual_info

    def spy(self, x):
        used.append(1)
        return original(self, x)

    monkeypatch.setattr(FrenzelPompeStep, "conditional_mutual_info", spy)
    fast = ConditionalMutualInfoSelector(5, estimator=KSG(), **kw).fit(X, y)
    n_used = len(used)
    assert n_used > 0  # the per-step structures computed the terms
    plain = ConditionalMutualInfoSelector(5, estimator=KSGWithoutSteps(), **kw)
    plain.fit(X, y)
    assert len(used) == n_used  # ... and not here
    assert fast.selection_order_.tolist() == plain.selection_order_.tolist()
    np.testing.assert_allclose(
        fast.conditional_gains_, plain.conditional_gains_, rtol=0, atol=1e-12
    )
