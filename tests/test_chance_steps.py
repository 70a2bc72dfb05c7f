"""The expectations under independence of a whole forward-selection step (and
of every column's relevance), batched over the candidates, against the
hypergeometric expectation summed directly over each table's cells."""

import functools
import math
from concurrent.futures import ThreadPoolExecutor
from fractions import Fraction

import numpy as np
import pytest

import skmi.selection._criteria as criteria
from skmi import ConditionalMutualInfoSelector, MutualInfoSelector
from skmi.estimators import KSG, _chance
from skmi.estimators._chance import (
    expected_mutual_info_shared_columns,
    expected_mutual_info_table_batch,
)
from skmi.estimators._count_tables import marginal_mutual_info
from skmi.estimators._variables import Variable
from skmi.selection._criteria import CountTerms


@functools.cache
def direct_cell(a, b, n):
    """``E[(m / n) log(n m / (a b))]``, ``m ~ Hypergeom(n, a, b)``, summed over
    the whole support with exact probabilities."""
    total = math.comb(n, b)
    return math.fsum(
        float(Fraction(math.comb(a, m) * math.comb(n - a, b - m), total))
        * (m / n)
        * math.log(n * m / (a * b))
        for m in range(max(1, a + b - n), min(a, b) + 1)
    )


def direct_expectation(x, y, z=None):
    """Expected plug-in ``I(X; Y | Z)`` under independence within each level
    of ``z``: the cells of every stratum's table, each summed directly."""
    z = np.zeros(len(x), dtype=int) if z is None else np.asarray(z)
    n, terms = len(x), []
    for level in np.unique(z):
        inside = z == level
        n_s = int(inside.sum())
        rows = np.unique(x[inside], return_counts=True)[1]
        cols = np.unique(y[inside], return_counts=True)[1]
        terms += [
            n_s / n * direct_cell(int(a), int(b), n_s) for a in rows for b in cols
        ]
    return math.fsum(terms)


def problem(seed, n=300, p=7):
    rng = np.random.default_rng(seed)
    X = rng.integers(0, rng.integers(2, 7, size=p), size=(n, p))
    X[:, 1] = (X[:, 0] + (rng.random(n) < 0.2)) % 3
    X[:, p - 1] = np.arange(n) % 60  # small cells
    y = (X[:, 0] + X[:, 2] + (rng.random(n) < 0.3)) % 3
    return X, y


@pytest.mark.parametrize("seed", range(3))
@pytest.mark.parametrize("counted", ["tables", "codes"])
def test_step_expectations_equal_the_direct_sums(monkeypatch, seed, counted):
    if counted == "codes":  # tables too large to count: from the codes
        monkeypatch.setattr(CountTerms, "MASK_CELLS", 0)
        monkeypatch.setattr(CountTerms, "TABLE_CELLS", 0)
    X, y = problem(seed)
    columns = [Variable.from_discrete(X[:, j]) for j in range(X.shape[1])]
    target = Variable.from_discrete(y)
    codes = np.vstack([c.codes for c in columns])
    levels = [c.n_levels for c in columns]
    calls = {"tables": [], "codes": []}
    for path, name in (
        ("tables", "expected_mutual_info_shared_columns"),
        ("codes", "expected_mutual_info_row_batch"),
    ):
        batch = getattr(criteria, name)
        monkeypatch.setattr(
            criteria,
            name,
            lambda *a, _f=batch, _c=calls[path], **k: _c.append(1) or _f(*a, **k),
        )
    adjusted = CountTerms(codes, levels, target, chance=True)
    raw = CountTerms(codes, levels, target, chance=False)
    relevance = raw.relevance(slice(None)) - adjusted.relevance(slice(None))
    for j, x in enumerate(X.T):
        assert relevance[j] == pytest.approx(direct_expectation(x, y), abs=1e-13)
    needs = ("red", "cred", "joint", "crel")
    for z in (columns[2], Variable.join(columns[0], columns[3])):
        rows = np.arange(X.shape[1])
        got = adjusted.terms(rows, z.codes, z.n_levels, needs)
        plain = raw.terms(rows, z.codes, z.n_levels, needs)
        zc, xz_codes = z.codes.astype(int), None
        for j, x in enumerate(X.T):
            xz_codes = x * (int(z.n_levels) + 1) + zc
            want = {
                "red": direct_expectation(x, zc),
                "cred": direct_expectation(x, zc, y),
                "joint": direct_expectation(xz_codes, y),
                "crel": direct_expectation(x, y, zc),
            }
            for name in needs:
                assert plain[name][j] - got[name][j] == pytest.approx(
                    want[name], abs=1e-12
                ), (name, j)
    # the path forced ran, and the other did not
    assert calls[counted]
    assert not calls["codes" if counted == "tables" else "tables"]


@pytest.mark.parametrize("seed", range(3))
def test_shared_columns_equal_the_batch_of_tables(monkeypatch, seed):
    rng = np.random.default_rng(seed)
    n_strata, kb = int(rng.integers(1, 5)), int(rng.integers(1, 6))
    columns = rng.integers(0, 40, size=(n_strata, kb))
    columns[0, 0] = 0  # an empty level
    rows = []
    for _ in range(6):  # tables with the same column totals in each stratum
        table = np.zeros((n_strata, 7, kb), dtype=np.int64)
        for s in range(n_strata):
            for b in range(kb):
                cells = rng.multinomial(columns[s, b], rng.dirichlet(np.ones(7)))
                table[s, :, b] = cells
        rows.append(table)
    tables = np.stack(rows)
    got = expected_mutual_info_shared_columns(tables.sum(axis=3), columns)
    np.testing.assert_allclose(
        got, expected_mutual_info_table_batch(tables), rtol=1e-13, atol=1e-15
    )
    calls = []
    with ThreadPoolExecutor(4) as pool:  # every cell anew, in 4 shares
        shares = (4, lambda f, parts: calls.append(len(parts)) or [*pool.map(f, parts)])
        monkeypatch.setattr(_chance, "_CELLS_PER_SHARE", 1)
        monkeypatch.setattr(_chance, "_CELLS", _chance._CellMemo())
        threads = expected_mutual_info_shared_columns(
            tables.sum(axis=3), columns, shares=shares
        )
    assert calls == [4]
    assert threads.tolist() == got.tolist()


def test_relevance_batch_equals_the_direct_sums():
    X, y = problem(7, n=400, p=9)
    codes = [np.unique(x, return_inverse=True)[1] for x in X.T]
    levels = np.array([c.max() + 1 for c in codes])
    chance = marginal_mutual_info(codes, levels, y, 3, chance=True)
    raw = marginal_mutual_info(codes, levels, y, 3, chance=False)
    for j, x in enumerate(X.T):
        assert raw[j] - chance[j] == pytest.approx(direct_expectation(x, y), abs=1e-13)


@pytest.mark.parametrize("criterion", ["jmi", "mrmr", "cmi"])
def test_selection_with_a_cold_or_kept_memo_is_the_same(monkeypatch, criterion):
    X, y = problem(11, n=500, p=10)
    kw = dict(criterion=criterion, estimator=KSG(), discrete_features=True)
    monkeypatch.setattr(_chance, "_CELLS", _chance._CellMemo())
    cold = ConditionalMutualInfoSelector(4, interactions=1, **kw).fit(X, y)
    assert _chance._CELLS._table[0].size > 0  # the counted path kept its cells
    kept = ConditionalMutualInfoSelector(4, interactions=1, n_jobs=2, **kw).fit(X, y)
    assert kept.selection_order_.tolist() == cold.selection_order_.tolist()
    assert kept.conditional_gains_.tolist() == cold.conditional_gains_.tolist()
    ranked = MutualInfoSelector(k=3, estimator=KSG(), discrete_features=True)
    assert ranked.fit(X, y).scores_[-1] < 0.01  # (the near-identifier)
