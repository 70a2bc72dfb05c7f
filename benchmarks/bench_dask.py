"""Forward selection on Dask input: out of core from a memmap, and against numpy.

Two measurements:

1. **Out of core.** A ``uint8`` table of ``--rows`` x ``--cols`` (default
   6e6 x 500, 3 GB) is written to a ``numpy.memmap`` in ``--dir`` (deleted
   afterwards), wrapped in ``dask.array`` by ``skmi.from_memmap`` (blocks of
   ``--chunk`` rows read from the file by the tasks) and
   selected with ``ConditionalMutualInfoSelector(criterion="jmi",
   estimator=PlugIn())`` on the threaded scheduler. Printed: the time of the
   first pass (ranges and distinct values), of the relevance pass and of each
   forward step (one pass each), and the peak memory of the process: its
   private memory (``RssAnon``, what the selection holds) and its peak
   resident set (``VmHWM``, which also counts the pages of the file mapped
   while a block is read: page cache the kernel reclaims at will).
2. **Dask against numpy when the data fit.** The same selection on a table of
   ``--small-rows`` rows held in memory, fitted from the numpy array and from
   ``dask.array.from_array`` of it, alternately ``--repeats`` times; the
   median ratio of the two times is printed.

Finally the per-step time is extrapolated to 65e6 x 631 (the size of the
Spark framework's benchmark, "under a minute per selected feature on about
400 cores") by the number of cells read, for the cores of this machine.

Usage::

    PYTHONPATH=. python benchmarks/bench_dask.py                 # 6e6 x 500
    PYTHONPATH=. python benchmarks/bench_dask.py --rows 1e6      # smaller
"""

import argparse
import os
import subprocess
import sys
import tempfile
import threading
import time

import numpy as np


def _status(field):
    """A field of /proc/self/status, in bytes."""
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith(field + ":"):
                return int(line.split()[1]) * 1024
    return 0


class PeakMemory:
    """The peak of ``RssAnon`` sampled every 20 ms, and ``VmHWM``."""

    def __enter__(self):
        self.peak_anon = _status("RssAnon")
        self.running = True
        self.thread = threading.Thread(target=self._sample, daemon=True)
        self.thread.start()
        return self

    def _sample(self):
        while self.running:
            self.peak_anon = max(self.peak_anon, _status("RssAnon"))
            time.sleep(0.02)

    def __exit__(self, *exc):
        self.running = False
        self.thread.join()
        self.peak_rss = _status("VmHWM")


def write_table(path, n_rows, n_cols, n_levels, block, seed=0):
    """A uint8 memmap of codes ``0..n_levels-1`` and a target of a few columns."""
    rng = np.random.default_rng(seed)
    mm = np.memmap(path, dtype=np.uint8, mode="w+", shape=(n_rows, n_cols))
    y = np.empty(n_rows, dtype=np.uint8)
    for start in range(0, n_rows, block):
        stop = min(start + block, n_rows)
        part = rng.integers(0, n_levels, (stop - start, n_cols), dtype=np.uint8)
        noise = rng.integers(0, 2, stop - start, dtype=np.uint8)
        # the target: columns 0, 1 and 2 and noise; column 3 copies column 0
        part[:, 3] = part[:, 0]
        y[start:stop] = (part[:, 0] + part[:, 1] // 2 + part[:, 2] // 3 + noise) % 3
        mm[start:stop] = part
    mm.flush()
    del mm
    return y


def timed_passes():
    """Record the duration of every pass of BlockTable over the blocks."""
    from skmi.selection import _dask_table

    durations, cpu_times = [], []
    original = _dask_table.BlockTable._sum

    def timed(self, function, *args, **kwargs):
        start, cpu = time.perf_counter(), time.process_time()
        out = original(self, function, *args, **kwargs)
        cpu_times.append(time.process_time() - cpu)
        # the tables of many columns: the relevance pass and the steps (the
        # check of a duplicate of a selected column counts one or two)
        many = function.__name__ == "_step_tables" and len(args[2]) > 2
        durations.append((many, time.perf_counter() - start))
        return out

    _dask_table.BlockTable._sum = timed
    return durations, cpu_times


def out_of_core(args):
    import dask

    from skmi import ConditionalMutualInfoSelector, from_memmap
    from skmi.estimators import PlugIn

    n_rows, n_cols = int(float(args.rows)), args.cols
    path = os.path.join(args.dir, f"skmi_bench_{os.getpid()}.uint8")
    print(
        f"writing {n_rows:.3g} x {n_cols} uint8 "
        f"({n_rows * n_cols / 1e9:.2f} GB) to {path}"
    )
    start = time.perf_counter()
    try:
        # written by another process, so that this one holds none of it
        command = [
            sys.executable,
            __file__,
            "--write",
            path,
            "--rows",
            args.rows,
            "--cols",
            str(n_cols),
            "--levels",
            str(args.levels),
            "--chunk",
            str(args.chunk),
        ]
        subprocess.run(command, check=True)
        y = np.load(path + ".y.npy")
        print(f"  written in {time.perf_counter() - start:.1f} s")
        mm = np.memmap(path, dtype=np.uint8, mode="r", shape=(n_rows, n_cols))
        # (dask.array.from_array would copy the memmap into memory)
        X = from_memmap(mm, rows=args.chunk)
        durations, cpu_times = timed_passes()
        selector = ConditionalMutualInfoSelector(
            n_features_to_select=args.steps,
            criterion="jmi",
            estimator=PlugIn(),
            interactions=1,
        )
        with dask.config.set(scheduler="threads", num_workers=args.workers):
            before = _status("RssAnon")
            with PeakMemory() as memory:
                start = time.perf_counter()
                selector.fit(X, y)
                total = time.perf_counter() - start
        first = total - sum(d for _, d in durations)
        counted = [d for many, d in durations if many]
        steps = counted[1:]
        cpu_steps = [
            c for (many, _), c in zip(durations, cpu_times, strict=True) if many
        ][1:]
        print(f"  selected {selector.selection_order_.tolist()} in {total:.1f} s")
        print(
            f"  first pass (ranges, distinct values) and duplicate checks: "
            f"{first + sum(d for many, d in durations if not many):.1f} s"
        )
        print(f"  relevance pass: {counted[0]:.1f} s")
        print(
            "  forward steps (one pass each): "
            + ", ".join(f"{d:.1f}" for d in steps)
            + f" s; median {np.median(steps):.1f} s a step, "
            f"{np.median(cpu_steps):.1f} CPU-seconds a step (all threads; "
            f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores)"
        )
        print(
            f"  private memory (RssAnon) {before / 2**30:.2f} GiB before the fit "
            f"(the interpreter and its modules), peak {memory.peak_anon / 2**30:.2f} "
            f"GiB during it; "
            f"peak resident set (VmHWM, with mapped file pages) "
            f"{memory.peak_rss / 2**30:.2f} GiB"
        )
        return float(np.median(steps)), float(np.median(cpu_steps)), n_rows * n_cols
    finally:
        for name in (path, path + ".y.npy"):
            if os.path.exists(name):
                os.remove(name)
        print(f"  removed {path}")


def in_memory_ratio(args):
    import dask
    import dask.array as da

    from skmi import ConditionalMutualInfoSelector
    from skmi.estimators import PlugIn

    n_rows = int(float(args.small_rows))
    rng = np.random.default_rng(1)
    X = rng.integers(0, args.levels, (n_rows, args.cols), dtype=np.uint8)
    y = ((X[:, 0] + X[:, 1] // 2 + rng.integers(0, 2, n_rows)) % 3).astype(np.uint8)
    Xd = da.from_array(X, chunks=(args.chunk, -1))
    params = dict(
        n_features_to_select=args.steps,
        criterion="jmi",
        estimator=PlugIn(),
        interactions=1,
        n_jobs=args.workers,
    )
    times = {"numpy": [], "dask": []}
    cpu = {"numpy": [], "dask": []}
    orders = {}
    with dask.config.set(scheduler="threads", num_workers=args.workers):
        for _ in range(args.repeats):
            for name, data in (("numpy", X), ("dask", Xd)):
                start, c0 = time.perf_counter(), time.process_time()
                fitted = ConditionalMutualInfoSelector(**params).fit(data, y)
                times[name].append(time.perf_counter() - start)
                cpu[name].append(time.process_time() - c0)
                orders[name] = fitted.selection_order_.tolist()
    ratios = np.array(times["dask"]) / np.array(times["numpy"])
    cpu_ratios = np.array(cpu["dask"]) / np.array(cpu["numpy"])
    print(
        f"in memory, {n_rows:.3g} x {args.cols}, {args.steps} steps: numpy "
        f"{np.median(times['numpy']):.2f} s, dask {np.median(times['dask']):.2f} s; "
        f"median ratio dask/numpy {np.median(ratios):.2f} (wall), "
        f"{np.median(cpu_ratios):.2f} (CPU time) "
        f"(same selection: {orders['numpy'] == orders['dask']})"
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", default="6e6")
    parser.add_argument("--cols", type=int, default=500)
    parser.add_argument("--levels", type=int, default=4)
    parser.add_argument("--chunk", type=int, default=100_000)
    parser.add_argument("--steps", type=int, default=4)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--small-rows", default="5e5")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--dir", default=tempfile.gettempdir())
    parser.add_argument("--skip-big", action="store_true")
    parser.add_argument("--write", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.write:
        y = write_table(
            args.write, int(float(args.rows)), args.cols, args.levels, args.chunk
        )
        np.save(args.write + ".y.npy", y)
        return
    if not args.skip_big:
        step, cpu, cells = out_of_core(args)
    in_memory_ratio(args)
    if args.skip_big:
        return
    factor = 65e6 * 631 / cells
    print(
        f"extrapolated to 65e6 x 631 ({factor:.1f} x the cells): {step * factor:.0f} s "
        f"a step as measured here (wall), {cpu * factor:.0f} CPU-seconds a step, "
        f"so {cpu * factor / args.workers:.0f} s on {args.workers} idle cores and "
        f"{cpu * factor / 400:.1f} s on 400 cores if the counting scaled linearly "
        "(the Spark framework reports under 60 s a selected feature on about "
        "400 cores)"
    )


if __name__ == "__main__":
    main()
