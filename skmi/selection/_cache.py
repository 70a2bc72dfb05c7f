"""A reusable greedy path and reusable relevance scores (``memory``).

With an integer ``n_features_to_select`` the greedy path is a prefix
property: the first ``m`` features of a search for ``n >= m`` features are the
search for ``m`` features. The cache keeps, per training set and per value of
the parameters that shape the path (everything but ``n_features_to_select``,
``n_jobs`` and ``verbose``), the longest path computed so far and the state
of the search at its end (:class:`PathState`). A fit that asks for at most
that many features slices the stored path; a fit that asks for more resumes
the search where it stopped and stores the longer path. A grid search over
``n_features_to_select`` therefore costs about one search per training set.
``n_features_to_select="auto"`` (whose path depends on the stopping rule) is
stored and reused whole.

The store is a :class:`joblib.Memory`; the keys are the hashes joblib takes of
the validated training data and of the parameters, as for the transformers of
a scikit-learn ``Pipeline``.
"""

import copy

import numpy as np
from sklearn.utils.validation import check_memory

__all__ = [
    "PathState",
    "cache_key",
    "cached_path",
    "cached_pvalues",
    "cached_scores",
    "uses_cache",
]


class PathState:
    """The state of a forward search at the end of its path.

    :func:`~skmi.selection._forward.forward_select` restores it before its
    loop (:meth:`restore`) and saves into it after (:meth:`save`).
    """

    saved = False

    def save(self, search, available, deferred, gains, offers):
        self.relevance = np.array(search.rel)
        self.selected = list(search.selected)
        self.accumulator = copy.deepcopy(search.acc)
        self.n_folded = np.array(search.n_folded)
        self.available = np.array(available)
        self.deferred = np.array(deferred)
        self.gains = list(gains)
        self.offers = copy.deepcopy(offers)
        self.saved = True

    def restore(self, search, available, deferred, gains):
        """Put the search back at the end of the stored path; returns its
        :class:`~skmi.selection._interactions.BlockOffers`."""
        search.selected = list(self.selected)
        search.acc = copy.deepcopy(self.accumulator)
        search.n_folded = np.array(self.n_folded)
        available[:] = self.available
        deferred[:] = self.deferred
        gains[:] = self.gains
        # the candidates are not yet evaluated against the last feature: the
        # search does so at the start of its next step
        return copy.deepcopy(self.offers)

    @property
    def exhausted(self):
        return self.saved and not self.available.any()


def uses_cache(memory):
    """The joblib Memory of a ``memory`` parameter, or None when it caches nothing."""
    memory = check_memory(memory)
    if getattr(memory, "location", None) is None:
        return None
    return memory


def cache_key(estimator, X, y, ignored):
    """What a stored result depends on: the validated training data and the
    estimator's parameters but ``ignored`` (and ``n_jobs``, ``verbose`` and
    ``memory``, which never change a result)."""
    params = estimator.get_params(deep=False)
    for name in (*ignored, "n_jobs", "verbose", "memory"):
        params.pop(name, None)
    return {"X": X, "y": y, "params": params}


def _stored_path(key, mode, run):
    """The stored value of a path: ``run()``, i.e. ``(ForwardResult, PathState)``."""
    return run()


def _slice(result, n):
    """The first ``n`` steps of a stored path (with the blocks that entered)."""
    out = copy.copy(result)
    out.selection_order = result.selection_order[:n]
    out.gains = result.gains[:n]
    chosen = set(out.selection_order.tolist())
    out.blocks = [b for b in result.blocks if b.members[0] in chosen]
    return out


def cached_path(memory, key, n_select, search):
    """The greedy path for ``key``, from the cache when it is long enough.

    Parameters
    ----------
    memory : joblib.Memory
        A Memory with a location.
    key : dict
        What shapes the path: the validated training data and the
        parameters (not ``n_features_to_select``).
    n_select : int or "auto"
        Number of features to select.
    search : callable
        ``search(n, path_state)`` runs
        :func:`~skmi.selection._forward.forward_select` for ``n`` features
        (``"auto"`` or an int), resuming from ``path_state`` when it holds a
        path, and returns its ``ForwardResult``.

    Returns
    -------
    ForwardResult
    """
    mode = "auto" if isinstance(n_select, str) else "count"
    func = memory.cache(_stored_path, ignore=["run"])

    def first():
        state = PathState() if mode == "count" else None
        return search(n_select, state), state

    if not func.check_call_in_cache(key, mode, None):
        result, state = func(key, mode, first)
    else:
        result, state = func(key, mode, None)
        if mode == "count" and len(state.selected) < n_select and not state.exhausted:

            def longer():
                return search(n_select, state), state

            result, state = func.call(key, mode, longer)[0]
    if mode == "auto":
        return result
    return _slice(result, n_select)


def _stored_scores(key, run):
    return run()


def cached_scores(memory, key, compute):
    """``compute()`` (the relevance scores of a marginal selector), stored
    under ``key`` (the training data and the parameters that shape the
    scores)."""
    return memory.cache(_stored_scores, ignore=["run"])(key, compute)


def _stored_pvalues(digest, run):
    return run()


def cached_pvalues(memory, digest, compute):
    """``compute()`` (the p-values of a marginal selector), stored under
    ``digest`` (a hash of the training data and the parameters other than
    ``k``, ``percentile`` and ``threshold``)."""
    return memory.cache(_stored_pvalues, ignore=["run"])(digest, compute)
