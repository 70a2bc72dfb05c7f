"""Sparse word counts: skmi against SelectKBest(mutual_info_classif), time and memory.

A Zipf-distributed count corpus (documents x terms, CSR, as CountVectorizer
returns it) with a few classes whose word distributions differ slightly is
written to a temporary folder once. Each measurement runs in a fresh
subprocess that loads the matrix and then fits one selector, so its peak
resident memory beyond the loaded input is its own (``ru_maxrss`` after the
fit minus the resident size after loading). The runs alternate between the
two libraries; the script prints the median time ratio, each peak, and
whether the selections are identical. Then it times a JMI forward selection
of 100 terms among the 2,000 best by marginal MI.

    PYTHONPATH=. python benchmarks/bench_sparse.py                  # 100,000 x 50,000
    PYTHONPATH=. python benchmarks/bench_sparse.py --docs 20000 --terms 10000
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time

import numpy as np
from scipy import sparse


def make_corpus(n_docs, n_terms, n_classes, seed):
    """Zipf word counts; each class boosts its own 1% of the vocabulary by 30%."""
    rng = np.random.default_rng(seed)
    base = 1.0 / np.arange(1, n_terms + 1) ** 1.07
    y = rng.integers(0, n_classes, n_docs)
    lengths = rng.poisson(120, n_docs) + 5
    docs, terms = [], []
    for c in range(n_classes):
        p = base.copy()
        boosted = rng.choice(n_terms, n_terms // 100, replace=False)
        p[boosted] *= 1.3
        p /= p.sum()
        members = np.flatnonzero(y == c)
        total = int(lengths[members].sum())
        docs.append(np.repeat(members, lengths[members]))
        terms.append(rng.choice(n_terms, size=total, p=p))
    docs, terms = np.concatenate(docs), np.concatenate(terms)
    X = sparse.csr_matrix((np.ones(docs.size), (docs, terms)), shape=(n_docs, n_terms))
    X.sum_duplicates()
    return X, y


def _rss_bytes():
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


def _child(folder, which, k):
    import resource

    data = np.load(os.path.join(folder, "data.npy"))
    indices = np.load(os.path.join(folder, "indices.npy"))
    indptr = np.load(os.path.join(folder, "indptr.npy"))
    shape = tuple(np.load(os.path.join(folder, "shape.npy")))
    y = np.load(os.path.join(folder, "y.npy"))
    X = sparse.csr_matrix((data, indices, indptr), shape=shape)
    if which == "sklearn":
        from sklearn.feature_selection import SelectKBest, mutual_info_classif

        selector = SelectKBest(
            lambda X, y: mutual_info_classif(X, y, random_state=0), k=k
        )
    elif which == "skmi":
        from sklearn.feature_selection import SelectKBest

        import skmi

        selector = SelectKBest(
            lambda X, y: skmi.mutual_info_classif(X, y, random_state=0), k=k
        )
    else:
        from skmi import ConditionalMutualInfoSelector, MutualInfoSelector

        top = MutualInfoSelector(k=2000).fit(X, y).get_support(indices=True)
        X = X[:, top]
        selector = ConditionalMutualInfoSelector(
            criterion="jmi", n_features_to_select=100
        )
    rss = _rss_bytes()
    start = time.process_time()
    wall = time.perf_counter()
    selector.fit(X, y)
    cpu = time.process_time() - start
    wall = time.perf_counter() - wall
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    support = selector.get_support(indices=True).tolist()
    print(
        json.dumps({"cpu": cpu, "wall": wall, "extra": peak - rss, "support": support})
    )


def _run(folder, which, k):
    out = subprocess.run(
        [sys.executable, __file__, "--child", folder, which, str(k)],
        check=True,
        capture_output=True,
        text=True,
        env={**os.environ, "OMP_NUM_THREADS": "1"},
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=100_000)
    parser.add_argument("--terms", type=int, default=50_000)
    parser.add_argument("--classes", type=int, default=4)
    parser.add_argument("--k", type=int, default=1000)
    parser.add_argument("--repeats", type=int, default=1)
    parser.add_argument("--child", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        folder, which, k = args.child
        return _child(folder, which, int(k))

    X, y = make_corpus(args.docs, args.terms, args.classes, seed=0)
    input_mb = (X.data.nbytes + X.indices.nbytes + X.indptr.nbytes) / 2**20
    print(
        f"corpus: {X.shape[0]:,} documents x {X.shape[1]:,} terms, "
        f"{X.nnz:,} non-zeros, {input_mb:.0f} MiB as CSR"
    )
    with tempfile.TemporaryDirectory() as folder:
        for name, a in [
            ("data", X.data),
            ("indices", X.indices),
            ("indptr", X.indptr),
            ("shape", np.array(X.shape)),
            ("y", y),
        ]:
            np.save(os.path.join(folder, f"{name}.npy"), a)
        del X
        runs = {"skmi": [], "sklearn": []}
        for _ in range(args.repeats):
            for which in ("skmi", "sklearn"):
                runs[which].append(_run(folder, which, args.k))
                r = runs[which][-1]
                print(
                    f"  {which:8s} cpu {r['cpu']:8.1f} s  wall {r['wall']:8.1f} s  "
                    f"peak beyond input {r['extra'] / 2**20:7.0f} MiB"
                )
        ratios = [
            b["cpu"] / a["cpu"]
            for a, b in zip(runs["skmi"], runs["sklearn"], strict=True)
        ]
        same = all(
            a["support"] == b["support"]
            for a, b in zip(runs["skmi"], runs["sklearn"], strict=True)
        )
        extra = np.median([r["extra"] for r in runs["skmi"]]) / 2**20
        extra_sk = np.median([r["extra"] for r in runs["sklearn"]]) / 2**20
        print(
            f"SelectKBest(k={args.k}): skmi {np.median(ratios):.1f}x faster (CPU, "
            f"median of {len(ratios)}); peak beyond input: skmi {extra:.0f} MiB "
            f"(budget {2 * input_mb + 200:.0f}), scikit-learn {extra_sk:.0f} MiB; "
            f"identical selections: {same}"
        )
        jmi = _run(folder, "jmi", args.k)
        print(
            f"JMI forward selection of 100 among the 2,000 best terms: "
            f"{jmi['wall']:.1f} s wall, {jmi['cpu']:.1f} s CPU, peak beyond input "
            f"{jmi['extra'] / 2**20:.0f} MiB"
        )


if __name__ == "__main__":
    main()
