"""The neighbour statistic's baseline at each candidate's own distance in Z."""

import warnings

import numpy as np
import pandas as pd
import pytest

from skmi import ConditionalMutualInfoSelector
from skmi.estimators import KSG
from skmi.selection._steptest import StepTester


def _mixed_step(seed, informative, n=1500):
    """A selected set of two normal columns and a 4-level one on which ``y``
    depends; candidates: a 4-level column (informative or not), three
    4-level and two normal noise columns."""
    rng = np.random.RandomState(seed)
    z = rng.standard_normal((n, 2))
    level = rng.randint(0, 4, n)
    cands = rng.randint(0, 4, (n, 4)).astype(float)
    noise = rng.standard_normal((n, 2))
    score = z[:, 0] + np.abs(z[:, 1]) + (level == 0) - (level == 1)
    if informative:
        score = score + 0.6 * np.isin(cands[:, 0], [0, 2])
    y = (score + 0.7 * rng.standard_normal(n) > 0.5).astype(int)
    X = np.column_stack([z, level, cands, noise])
    mask = np.array([False, False, True, True, True, True, True, False, False])
    est = KSG()
    columns = est.prepare(X, mask, rng)
    target = est.prepare_target(y, True, rng)
    return StepTester(columns, target, mask, rng, 99, 5), [0, 1, 2], list(range(3, 9))


def _own_pvalues(seed):
    """Each candidate's statistic against its own permutation distribution."""
    tester, selected, candidates = _mixed_step(seed, informative=False)
    stat = tester.statistic(selected, candidates)
    observed = stat.scores(np.arange(tester.n_samples)[None, :])[0]
    null = stat.scores(tester.permutation_sampler(selected)(99))
    return (1 + np.sum(null >= observed, axis=0)) / 100


def test_candidates_without_information_sit_inside_their_permutation_law():
    """With the baseline over the k nearest in Z, a categorical candidate
    without information sat below nearly all its permutations (own p-values
    near 1); at its own distance its p-value is spread over (0, 1]."""
    pvalues = np.array([_own_pvalues(seed) for seed in range(8)])
    categorical = pvalues[:, :4].ravel()
    assert np.mean(categorical > 0.9) <= 0.3
    assert 0.3 <= np.mean(categorical) <= 0.7
    assert 0.2 <= np.mean(pvalues[:, 4:]) <= 0.8


def _rejections(seeds, informative):
    """Whether the step test (19 permutations, alpha = 0.05) rejects."""
    rejected = []
    for seed in seeds:
        tester, selected, candidates = _mixed_step(seed, informative)
        tester.n_permutations, tester.n_exceed = 19, 1
        rejected.append(tester.test(selected, candidates).pvalue <= 0.05)
    return np.array(rejected)


@pytest.mark.slow
def test_the_step_test_keeps_its_level_given_a_mixed_set():
    # binomial sd at 0.05 over 40 steps: 0.034
    assert np.mean(_rejections(range(40), False)) <= 0.05 + 2.5 * 0.034


def test_the_step_test_sees_a_categorical_candidate_given_a_mixed_set():
    assert np.mean(_rejections(range(10), True)) >= 0.8


def _mixed_table(seed, n=2000):
    rng = np.random.RandomState(seed)
    df = pd.DataFrame({f"x{j}": rng.standard_normal(n) for j in range(4)})
    for j in range(4):
        df[f"c{j}"] = rng.choice(list("abcd"), n)
    score = df.x0 + np.abs(df.x1) - 0.8 + (df.c0 == "a") - (df.c0 == "b")
    score = score + 0.8 * df.c1.isin(["a", "c"])
    return df, (score + 0.7 * rng.standard_normal(n) > 0).astype(int)


@pytest.mark.slow
def test_the_default_keeps_a_categorical_column_of_a_mixed_table():
    kept = []
    for seed in range(6):
        X, y = _mixed_table(seed)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            sel = ConditionalMutualInfoSelector(random_state=seed).fit(X, y)
        names = set(sel.get_feature_names_out())
        assert not names - {"x0", "x1", "c0", "c1"}  # no noise column
        kept.append({"x0", "x1", "c0", "c1"} <= names)
    # (with the baseline over the k nearest in Z: 3 of the first 5)
    assert sum(kept) >= 5


def test_candidates_beyond_the_memory_budget_score_the_same(monkeypatch):
    import skmi.selection._neighbour_statistic as ns

    tester, selected, candidates = _mixed_step(0, informative=True, n=400)
    perms = tester.permutation_sampler(selected)(5)
    kept = tester.statistic(selected, candidates)
    assert kept.n_kept == len(candidates)
    # room for the lists of two candidates: the others are sought per call
    monkeypatch.setattr(ns, "MAX_NEIGHBOUR_ENTRIES", 2 * 400 * ns.N_NEIGHBOURS)
    sought = tester.statistic(selected, candidates)
    assert sought.n_kept == 2 and sought.reach.shape == (2, 400)
    np.testing.assert_array_equal(sought.scores(perms), kept.scores(perms))
