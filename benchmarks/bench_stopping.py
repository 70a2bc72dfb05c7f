"""Power, size and cost of the stopping rule of ConditionalMutualInfoSelector.

``n_features_to_select="auto"`` (the default) tests every step. This script
fits the default selector on families of data where the answer is known and
prints, over several seeds:

* **power**: how many of the informative features "auto" keeps, on
  - a categorical table (six 3-level columns, ``y`` a noisy threshold of a
    score of three of them, n = 3,000),
  - binary columns (``y`` the majority of 3 of 10 bits, n = 2,000),
  - word counts (Poisson counts of 400 terms in 2,000 documents of 5
    classes, 15 terms more frequent in one class),
  - sparse TF-IDF text (300 terms in 1,500 documents of 4 classes, 8 terms
    more frequent in one class),
  - a mixed table (six normal and six 4-level columns, a binary ``y`` of
    three normal and two categorical ones, n = 2,000),
  - wide continuous data (n = 500, p = 2,000, 8 informative: four linear,
    ``sin``, ``|x|`` and a product of two);
* **size**: how often pure noise (continuous, categorical, counts) selects
  anything, and how many of 30 noise columns appended to ``load_wine`` are
  admitted per fit;
* **the proxy limit**: one to six continuous selected features,
  ``y`` a function of them plus noise and a candidate that is a close proxy
  of that function (independent of ``y`` given them): how often the step
  test rejects and how often the proxy is then admitted, judged by the
  neighbour statistic alone (no estimator given to the test) and by its
  k-NN conditional information (the default), for their sum (a linear
  proxy) and for the sum of their squares (a nonlinear one);
* **the path's ceiling** on the wide continuous data: "auto" selects the
  first features of the fixed-size path, so it cannot keep more informative
  features than the path holds before its first noise feature (printed from
  a fixed run of 10 features);
* **downstream scores** (``--real``): the 5-fold accuracy of a standardised
  logistic regression (``make_pipeline(selector, StandardScaler(),
  LogisticRegression(max_iter=5000))``, the selection refitted in each fold)
  with "auto" and with 5 and 10 features, on ``load_wine`` and
  ``load_digits``;
* **cost**: "auto" against a fixed run of the size "auto" chose (budget 5x),
  median of alternating runs, on ``load_breast_cancer``, the categorical
  table, the word counts, the TF-IDF text, ``load_digits`` and a 100,000 x
  5 continuous regression.

Run from the repository root::

    python benchmarks/bench_stopping.py [--seeds 10] [--wide-seeds 3]
        [--repeats 5] [--skip-cost] [--skip-large] [--skip-power] [--real]
"""

import argparse
import statistics
import time
import warnings

import numpy as np
import pandas as pd
from scipy import sparse
from sklearn.datasets import load_breast_cancer, load_digits, load_wine
from sklearn.feature_extraction.text import TfidfTransformer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import cross_val_score
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from skmi import ConditionalMutualInfoSelector
from skmi.estimators import KSG
from skmi.selection._steptest import StepTester


# --------------------------------------------------------------------------
# families: (X, y, indices of the informative features)
# --------------------------------------------------------------------------
def categorical_table(seed, n=3000):
    rng = np.random.RandomState(seed)
    df = pd.DataFrame({c: rng.choice(["lo", "mid", "hi"], n) for c in "abcdef"})
    score = sum(
        (df[c] == "hi").astype(int) - (df[c] == "lo").astype(int) for c in "abc"
    )
    return df, (score + rng.standard_normal(n) > 0).astype(int), [0, 1, 2]


def binary_majority(seed, n=2000):
    rng = np.random.RandomState(seed)
    X = rng.randint(0, 2, (n, 10))
    return X, (X[:, :3].sum(axis=1) >= 2).astype(int), [0, 1, 2]


def word_counts(seed, n=2000, p=400, informative=15, classes=5):
    rng = np.random.RandomState(seed)
    y = rng.randint(0, classes, n)
    rates = np.tile(0.5 * rng.gamma(0.3, 1.0, p), (n, 1))
    for j in range(informative):
        rates[y == j % classes, j] += 1.0
    return rng.poisson(rates), y, list(range(informative))


def wide_continuous(seed, n=500, p=2000):
    rng = np.random.RandomState(seed)
    X = rng.standard_normal((n, p))
    y = (
        X[:, :4].sum(axis=1)
        + 1.5 * np.sin(2 * X[:, 4])
        + np.abs(X[:, 5])
        + X[:, 6] * X[:, 7]
        + 0.5 * rng.standard_normal(n)
    )
    return X, y, list(range(8))


def tfidf_text(seed, n=1500, p=300, informative=8, classes=4):
    """Sparse TF-IDF weights of Poisson word counts (continuous sparse
    columns), ``informative`` terms more frequent in one class."""
    rng = np.random.RandomState(seed)
    y = rng.randint(0, classes, n)
    rates = np.tile(0.3 * rng.gamma(0.3, 1.0, p), (n, 1))
    for j in range(informative):
        rates[y == j % classes, j] += 1.0
    counts = sparse.csr_matrix(rng.poisson(rates).astype(float))
    return TfidfTransformer().fit_transform(counts), y, list(range(informative))


def mixed_table(seed, n=2000):
    """Six normal and six 4-level columns; a binary ``y`` of three normal
    (linear, ``|x|``, ``sin``) and two categorical ones."""
    rng = np.random.RandomState(seed)
    df = pd.DataFrame({f"x{j}": rng.standard_normal(n) for j in range(6)})
    for j in range(6):
        df[f"c{j}"] = rng.choice(list("abcd"), n)
    score = (
        df.x0
        + np.abs(df.x1)
        - 0.8
        + 0.7 * np.sin(2 * df.x2)
        + (df.c0 == "a")
        - (df.c0 == "b")
        + 0.8 * df.c1.isin(["a", "c"])
    )
    y = (score + 0.7 * rng.standard_normal(n) > 0).astype(int)
    return df, y, [0, 1, 2, 6, 7]


def noise_continuous(seed):
    rng = np.random.RandomState(seed)
    return rng.standard_normal((300, 50)), rng.randint(0, 2, 300), []


def noise_categorical(seed):
    rng = np.random.RandomState(seed)
    X = pd.DataFrame({f"c{j}": rng.choice(list("abcd"), 600) for j in range(8)})
    return X, rng.randint(0, 3, 600), []


def noise_counts(seed):
    rng = np.random.RandomState(seed)
    return rng.poisson(0.5, (600, 30)), rng.randint(0, 3, 600), []


def wine_and_noise(seed):
    X, y = load_wine(return_X_y=True)
    rng = np.random.RandomState(seed)
    noise = rng.standard_normal((X.shape[0], 30))
    return np.hstack([X, noise]), y, list(range(X.shape[1]))


POWER = [
    categorical_table,
    binary_majority,
    word_counts,
    tfidf_text,
    mixed_table,
    wide_continuous,
]
SIZE = [noise_continuous, noise_categorical, noise_counts, wine_and_noise]


def fit(X, y, n_features_to_select="auto", seed=0, **params):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return ConditionalMutualInfoSelector(
            n_features_to_select, random_state=seed, **params
        ).fit(X, y)


def kept(family, seeds, **params):
    """Informative and noise features kept by "auto" in each seed, and the time."""
    informative, noise, times = [], [], []
    for seed in range(seeds):
        X, y, truth = family(seed)
        start = time.perf_counter()
        order = set(fit(X, y, seed=seed, **params).selection_order_.tolist())
        times.append(time.perf_counter() - start)
        informative.append(len(order & set(truth)))
        noise.append(len(order - set(truth)))
    return np.array(informative), np.array(noise), statistics.median(times)


def path_ceiling(family, seeds, length=10):
    """Informative features of the fixed path before its first noise feature."""
    ceilings = []
    for seed in range(seeds):
        X, y, truth = family(seed)
        order = fit(X, y, length, seed=seed).selection_order_.tolist()
        noise = [i for i, j in enumerate(order) if j not in truth]
        ceilings.append(noise[0] if noise else length)
    return ceilings


def power_and_size(seeds, wide_seeds):
    print("power: informative features kept by the default selector")
    for family in POWER:
        n_seeds = wide_seeds if family is wide_continuous else seeds
        good, bad, t = kept(family, n_seeds)
        n_true = len(family(0)[2])
        print(
            f"  {family.__name__:18s} kept of {n_true}: {good.tolist()} "
            f"(noise {bad.tolist()}), median fit {t:.1f} s"
        )
    for family, n_seeds in ((mixed_table, seeds), (wide_continuous, wide_seeds)):
        print(
            f"  {family.__name__}: informative features before the first noise "
            "feature of the fixed path of 10 (the most 'auto' can keep): "
            f"{path_ceiling(family, n_seeds)}"
        )
    print("size: fits that select noise (step test alone: interactions=1)")
    for family in SIZE:
        for params in ({}, {"interactions": 1}):
            good, bad, _ = kept(family, 2 * seeds, **params)
            label = "defaults" if not params else "interactions=1"
            if family is wine_and_noise:
                print(
                    f"  {family.__name__:18s} {label:15s} noise per fit "
                    f"{bad.mean():.2f}, wine features kept {good.mean():.1f}"
                )
            else:
                print(
                    f"  {family.__name__:18s} {label:15s} {np.sum(bad > 0)} of "
                    f"{bad.size} fits select something"
                )


# --------------------------------------------------------------------------
# the proxy limit
# --------------------------------------------------------------------------
def proxy_step(seed, n, d, with_estimator, squares=False):
    """(step test rejects, proxy admitted) for one data set."""
    rng = np.random.RandomState(seed)
    z = rng.standard_normal((n, d))
    if squares:
        total = (z**2).sum(axis=1) / np.sqrt(2 * d)
    else:
        total = z.sum(axis=1) / np.sqrt(d)
    proxy = total + 0.1 * rng.standard_normal(n)
    y = total + 0.5 * rng.standard_normal(n)
    est = KSG()
    mask = np.zeros(d + 4, dtype=bool)
    X = np.column_stack([z, proxy, rng.standard_normal((n, 3))])
    tester = StepTester(
        est.prepare(X, mask, rng),
        est.prepare_target(y, False, rng),
        mask,
        rng,
        19,
        1,
        estimator=est if with_estimator else None,
    )
    step = tester.test(list(range(d)), list(range(d, d + 4)))
    if step.pvalue > 0.05:
        return False, False
    return True, tester.test_chosen(d, step).pvalue <= 0.05


def proxy_limit(reps, n=1000):
    print(
        f"size: a close proxy of a function of the selected features (n = {n}, "
        f"{reps} data sets, alpha = 0.05)"
    )
    for squares in (False, True):
        kind = "sum of squares" if squares else "sum"
        for d in (1, 2, 3, 4, 6):
            for with_estimator in (False, True):
                r = np.array(
                    [proxy_step(s, n, d, with_estimator, squares) for s in range(reps)]
                )
                label = "k-NN CMI" if with_estimator else "neighbour statistic"
                print(
                    f"  {kind:14s} of {d} selected, chosen judged by {label:19s}: "
                    f"step test rejects {r[:, 0].mean():.2f}, proxy admitted "
                    f"{r[:, 1].mean():.2f}"
                )


# --------------------------------------------------------------------------
# downstream scores
# --------------------------------------------------------------------------
def cv_score(X, y, n_features_to_select):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        model = make_pipeline(
            ConditionalMutualInfoSelector(n_features_to_select, random_state=0),
            StandardScaler(),
            LogisticRegression(max_iter=5000),
        )
        return cross_val_score(model, X, y, cv=5).mean()


def real_scores():
    print(
        "downstream: 5-fold accuracy of a standardised logistic regression "
        "after the selector (refitted in each fold)"
    )
    for name, loader in (("load_wine", load_wine), ("load_digits", load_digits)):
        X, y = loader(return_X_y=True)
        m = fit(X, y).n_features_to_select_
        auto, five, ten = (cv_score(X, y, n) for n in ("auto", 5, 10))
        print(
            f"  {name:12s} auto ({m} features on all rows) {auto:.3f}, 5 "
            f"features {five:.3f}, 10 features {ten:.3f}; auto - best fixed "
            f"{auto - max(five, ten):+.3f} (target >= -0.02)"
        )


# --------------------------------------------------------------------------
# cost
# --------------------------------------------------------------------------
def large_problem(n=100_000, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n, 5))
    y = X[:, 0] + 0.5 * X[:, 1] + 0.25 * X[:, 2] + rng.standard_normal(n)
    return X, y


def timed(X, y, n_features_to_select):
    start = time.perf_counter()
    selector = fit(X, y, n_features_to_select)
    return time.perf_counter() - start, selector


def compare(name, X, y, repeats):
    _, auto = timed(X, y, "auto")
    m = auto.n_features_to_select_
    print(f"{name}: 'auto' selects {m} features; stopped: {auto.stop_reason_}")
    if m == 0:
        print("  nothing selected: no fixed run to compare with")
        return
    ratios = []
    for _ in range(repeats):
        a = timed(X, y, "auto")[0]
        ratios.append(a / timed(X, y, m)[0])
    print(
        f"  median ratio 'auto' / n_features_to_select={m}: "
        f"{statistics.median(ratios):.2f} (budget 5)"
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=10)
    parser.add_argument("--wide-seeds", type=int, default=3)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--skip-cost", action="store_true")
    parser.add_argument("--skip-large", action="store_true")
    parser.add_argument("--skip-power", action="store_true")
    parser.add_argument("--real", action="store_true")
    args = parser.parse_args()
    if not args.skip_power:
        power_and_size(args.seeds, args.wide_seeds)
        proxy_limit(4 * args.seeds)
    if args.real:
        real_scores()
    if args.skip_cost:
        return
    compare("load_breast_cancer", *load_breast_cancer(return_X_y=True), args.repeats)
    compare("categorical table", *categorical_table(0)[:2], args.repeats)
    compare("word counts 2000 x 400", *word_counts(0)[:2], args.repeats)
    compare("sparse TF-IDF 1500 x 300", *tfidf_text(0)[:2], args.repeats)
    compare("load_digits", *load_digits(return_X_y=True), args.repeats)
    if not args.skip_large:
        compare("continuous 1e5 x 5", *large_problem(), args.repeats)


if __name__ == "__main__":
    main()
