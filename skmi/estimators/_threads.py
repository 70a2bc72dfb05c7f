"""Threads of this process for short kernels that release the GIL.

joblib runs the loops over columns and candidates, under whatever backend
the user chose (see :ref:`dask`). A few kernels, though, are numpy
calls that release the GIL and last a few milliseconds a step: the counting
of the plug-in forward search is the main one. A joblib call costs about
10 ms of dispatch and result polling on its own, more than such a step,
and shipping the step to processes or a cluster would cost more still. Those
kernels run in a pool of threads of this process instead, sized by
``n_jobs`` and kept between calls, as scikit-learn runs its OpenMP loops.
Results never depend on the number of threads: each thread computes whole
items, and the results are returned in the order of the items.
"""

import os
import threading
from concurrent.futures import ThreadPoolExecutor

from joblib import effective_n_jobs

__all__ = ["n_threads", "thread_map"]

#: one pool per number of threads, kept for the life of the process (its
#: threads wait idle between calls: starting threads at every call of a
#: kernel of a few milliseconds costs a sizeable part of it)
_POOLS = {}
_POOLS_LOCK = threading.Lock()
_PREFIX = "skmi-kernel"


#: number of CPUs of the machine
_CPUS = os.cpu_count() or 1


def n_threads(n_jobs):
    """Number of threads for ``n_jobs``: joblib's meaning, at most the CPUs."""
    return max(1, min(effective_n_jobs(n_jobs), _CPUS))


def thread_map(function, items, n_jobs):
    """``[function(item) for item in items]``, in up to ``n_jobs`` threads.

    Parameters
    ----------
    function : callable
        Called once per item; it should spend its time in code that
        releases the GIL.
    items : sequence
    n_jobs : int or None
        joblib's meaning: None is 1 unless a ``joblib.parallel_backend``
        context says otherwise, -1 all CPUs; never more threads than CPUs
        or items.

    Returns
    -------
    list
        The results, in the order of ``items``.

    Examples
    --------
    >>> from skmi.estimators._threads import thread_map
    >>> thread_map(abs, [-1, 2, -3], n_jobs=2)
    [1, 2, 3]
    """
    items = list(items)
    workers = min(n_threads(n_jobs), len(items))
    # (a call from one of the pool's own threads runs serially: waiting there
    # for the pool could wait forever)
    if workers <= 1 or threading.current_thread().name.startswith(_PREFIX):
        return [function(item) for item in items]
    return list(_pool(workers).map(function, items))


def _pool(workers):
    """The process's pool of ``workers`` threads (a new one after a fork)."""
    key = (os.getpid(), workers)
    with _POOLS_LOCK:
        pool = _POOLS.get(key)
        if pool is None:
            pool = _POOLS[key] = ThreadPoolExecutor(
                max_workers=workers, thread_name_prefix=_PREFIX
            )
        return pool
