r"""
Benchmark: the two 50-case sweeps of ``../shared/bench/``, serial against ``--workers 2``, and
the time a resume saves after an interruption.

Each run is the command line as a user types it (a new process: Sage's start is included),
in discovery mode (``--discover``: with the known laws the sweeps take under a second, too
little to share). For each sweep: the serial wall-clock seconds, those with ``--workers 2``
(a Dask ``LocalCluster`` of two processes, its start included), the speed-up; then a run
with ``--store`` interrupted by SIGINT once half the cases are stored, and the resume: its
seconds and the time it saves against the serial run.

Goal (issue "Studies at scale", 2-core machine): a speed-up with two workers, the same
results, and a resume that runs only the cases left.

Measured (2-core machine, 2026-12-01, load about 1)::

    sweep                  serial s 2 workers s speed-up  same stopped at stored resume s saved s
    sweep-linear-50.txt        17.7        12.8     1.38  True        6.0     25      9.3     8.4
    sweep-relu-50.txt          63.5        38.7     1.64  True       39.2     25     27.1    36.4

The two workers each start an engine that loads Sage (about 3 s), which the short linear
sweep feels most.

Usage: ``python benchmarks/studies.py [FILE ...]`` (default: both sweeps).
"""
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent.parent.parent / "shared" / "bench"
DEFAULT_FILES = [BENCH / "sweep-linear-50.txt", BENCH / "sweep-relu-50.txt"]
COMMAND = [sys.executable, "-m", "sage_conslaws", "sweep"]


def _timed(arguments):
    start = time.perf_counter()
    done = subprocess.run(COMMAND + arguments, capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(f"failed: {' '.join(arguments)}\n{done.stderr}")
    return time.perf_counter() - start, done.stdout.splitlines()


def _interrupted(path, store, cases):
    # run with the store, SIGINT once half the cases are stored; the seconds until then
    from sage_conslaws.studies.store import ResultsStore
    start = time.perf_counter()
    process = subprocess.Popen(COMMAND + [str(path), "--discover", "--quiet", "--store", store],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    while process.poll() is None:
        if os.path.exists(store) and len(ResultsStore(store).rows()) >= cases // 2:
            process.send_signal(signal.SIGINT)
            break
        time.sleep(0.1)
    process.wait()
    return time.perf_counter() - start, len(ResultsStore(store).rows())


def main(files):
    print(f"{'sweep':<22}{'serial s':>9}{'2 workers s':>12}{'speed-up':>9}{'same':>6}"
          f"{'stopped at':>11}{'stored':>7}{'resume s':>9}{'saved s':>8}")
    for path in files:
        cases = sum(1 for line in open(path) if line.strip() and not line.startswith("#"))
        serial, serial_lines = _timed([str(path), "--discover", "--quiet", "--json"])
        parallel, parallel_lines = _timed([str(path), "--discover", "--quiet", "--json",
                                           "--workers", "2"])
        same = _results(serial_lines) == _results(parallel_lines)
        store = os.path.join(tempfile.mkdtemp(), "results.sqlite")
        stopped, stored = _interrupted(path, store, cases)
        resume, _ = _timed([str(path), "--discover", "--quiet", "--store", store])
        print(f"{path.name:<22}{serial:>9.1f}{parallel:>12.1f}{serial / parallel:>9.2f}"
              f"{str(same):>6}{stopped:>11.1f}{stored:>7}{resume:>9.1f}{serial - resume:>8.1f}",
              flush=True)


def _results(lines):
    # case -> (laws, kind): the order of the lines differs on workers
    import json
    rows = [json.loads(line) for line in lines]
    return sorted((r["case"], r["laws"], r["certificate_kind"]) for r in rows if "case" in r)


if __name__ == "__main__":
    main([Path(f) for f in sys.argv[1:]] or DEFAULT_FILES)
