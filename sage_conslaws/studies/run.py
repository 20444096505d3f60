r"""
Running the cases of a study: in this process, in local worker processes, or on a Dask cluster

A case is a line of a sweep file (the arguments of one ``count``); running it
gives an *outcome*, a dictionary of plain values that pickles and goes in a
:class:`~sage_conslaws.studies.store.ResultsStore`: ``line``, ``seed``,
``status`` (``proven``, ``probabilistic``, ``not verified``, ``refused``,
``failed`` or ``timed out``), ``result`` (the JSON fields of the count, or
``{"error": message}``) and ``seconds``.

With a time or memory budget, a case runs in a child process forked from the
process that runs it (a worker, which has loaded Sage already): past the time
the child is killed and the case is recorded as timed out; past the memory it
fails with a clear message. Either way the sweep goes on.

:func:`run_cases` runs the cases not already stored, serially or on Dask
(``workers`` local processes of a ``LocalCluster``, or the cluster at
``scheduler``), streams each outcome to the store as it finishes, and yields
it; the outcomes are those of the serial run, whatever the order.

EXAMPLES::

    sage: from sage_conslaws.studies.run import run_case
    sage: outcome = run_case("relu 2,2,1 --bias", seed=0)
    sage: outcome["status"], outcome["result"]["laws"]
    ('proven', 2)
    sage: run_case("relu 2,0,1")["status"], run_case("relu 2,0,1")["result"]
    ('refused', {'error': 'layer widths must be positive integers, got [2, 0, 1]'})
"""
import os
import pickle
import resource
import select
import signal
import time

def run_case(line, seed=0, discover=False, budget=None, timeout=None, memory=None):
    r"""
    Return the outcome of the case ``line`` (see the module).

    INPUT:

    - ``line`` -- the arguments of one ``count``, as a line of a sweep file
    - ``seed`` -- (default: 0) the seed of the count
    - ``discover`` -- (default: ``False``) discovery mode for this case
    - ``budget`` -- (default: ``None``) the budget of the case when its line has none
    - ``timeout`` -- (default: ``None``) seconds after which the case is
      stopped and recorded as timed out
    - ``memory`` -- (default: ``None``) gigabytes of address space the case may use

    EXAMPLES::

        sage: from sage_conslaws.studies.run import run_case
        sage: run_case("linear 1,2,1", timeout=60)["status"]
        'proven'
        sage: outcome = run_case("linear 10,20,20,10 --flow momentum --damping 1", timeout=0.5)
        sage: outcome["status"], outcome["result"]
        ('timed out', {'error': 'stopped after 0.5 s'})
        sage: run_case("linear 1,2,1", memory=64)["status"]
        'proven'
    """
    if timeout is None and memory is None:
        return _outcome(line, seed, discover, budget)
    timeout = None if timeout is None else float(timeout)
    # the parent has loaded what a count needs: the child starts from it. os.fork, not
    # multiprocessing: Dask's worker processes are daemons, which multiprocessing keeps childless
    import sage_conslaws.interface.cases  # noqa: F401
    import sage_conslaws.laws.count  # noqa: F401
    start = time.perf_counter()
    reading, writing = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(reading)
        _child(writing, line, seed, discover, budget, memory)
    os.close(writing)
    data = None
    try:
        data = _read_until(reading, None if timeout is None else start + timeout)
    finally:
        os.close(reading)
        if data is None:
            os.kill(pid, signal.SIGKILL)
        _, status = os.waitpid(pid, 0)
    if data is None:
        return _stopped(line, seed, "timed out", f"stopped after {timeout:g} s", start)
    if not data:
        return _stopped(line, seed, "failed", "the case's process ended without a result "
                        f"(exit code {os.waitstatus_to_exitcode(status)})"
                        + _OUT_OF_MEMORY * (memory is not None), start)
    return pickle.loads(data)


def _read_until(fd, deadline, size=None):
    # what is written on fd until it closes (or its first size bytes); None past the deadline
    chunks, length = [], 0
    while size is None or length < size:
        wait = None if deadline is None else deadline - time.perf_counter()
        if wait is not None and wait <= 0:
            return None
        ready, _, _ = select.select([fd], [], [], wait)
        if not ready:
            return None
        chunk = os.read(fd, 1 << 16 if size is None else min(1 << 16, size - length))
        if not chunk:
            break
        chunks.append(chunk)
        length += len(chunk)
    return b"".join(chunks)


#: Why a case with a memory budget most likely ended without a result.
_OUT_OF_MEMORY = ": out of memory within its budget, most likely (Singular halts without one)"

#: The engine of this process (a Dask worker's): a child process that runs the cases.
_ENGINE = {}


def run_in_engine(line, seed=0, discover=False, budget=None, timeout=None, memory=None):
    r"""
    Return the outcome of the case ``line``, run by this process's engine (see :mod:`~sage_conslaws.studies.engine`).

    This is what a Dask worker runs: Sage (its PARI library) works in the main
    thread of a process only, and Dask runs its tasks in other threads. The
    engine is started on the first case and kept; past ``timeout`` it is
    killed (the case is timed out) and the next case starts a new one.

    INPUT: as for :func:`run_case`

    EXAMPLES::

        sage: from sage_conslaws.studies.run import run_in_engine
        sage: run_in_engine("relu 2,2,1 --bias")["result"]["laws"]
        2
        sage: run_in_engine("linear 10,20,20,10 --flow momentum --damping 1", timeout=1)["status"]
        'timed out'
        sage: run_in_engine("linear 1,2,1")["status"]
        'proven'
    """
    import subprocess
    import sys
    import threading
    timeout = None if timeout is None else float(timeout)
    # one engine per thread: a worker with several threads runs several cases at once
    key = (threading.get_ident(), memory)
    engine = _ENGINE.get(key)
    if engine is None or engine.poll() is not None:
        command = [sys.executable, "-m", "sage_conslaws.studies.engine"]
        engine = _ENGINE[key] = subprocess.Popen(
            command + ([] if memory is None else [str(memory)]),
            stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    start = time.perf_counter()
    request = pickle.dumps((line, seed, discover, budget))
    try:
        engine.stdin.write(len(request).to_bytes(8, "big") + request)
        engine.stdin.flush()
    except BrokenPipeError:
        pass  # the engine is gone: reading says so
    deadline = None if timeout is None else start + timeout
    header = _read_until(engine.stdout.fileno(), deadline, 8)
    size = int.from_bytes(header, "big") if header is not None and len(header) == 8 else None
    data = _read_until(engine.stdout.fileno(), deadline, size) if size is not None else header
    if header is None or data is None:  # past the deadline
        engine.kill()
        engine.wait()
        del _ENGINE[key]
        return _stopped(line, seed, "timed out", f"stopped after {timeout:g} s", start)
    if size is None or len(data) < size:  # the engine ended first
        engine.kill()
        del _ENGINE[key]
        return _stopped(line, seed, "failed", "the engine ended without a result (exit code "
                        f"{engine.wait()})" + _OUT_OF_MEMORY * (memory is not None), start)
    return pickle.loads(data)


def check_memory(memory):
    r"""
    Raise a one-line error unless ``memory`` is ``None`` or a positive number of GB (below `2^{20}`).

    EXAMPLES::

        sage: from sage_conslaws.studies.run import check_memory
        sage: check_memory(4)
        sage: check_memory(1e10)
        Traceback (most recent call last):
        ...
        ValueError: the memory of a case must be a positive number of GB below 2^20, got 1.00000000000000e10
    """
    if memory is not None and not 0 < float(memory) < 2**20:
        raise ValueError("the memory of a case must be a positive number of GB below 2^20, "
                         f"got {memory}")


def limit_memory(memory):
    r"""
    Let this process map at most ``memory`` more gigabytes than it maps now (``None``: no limit).

    The limit is on the address space (``RLIMIT_AS``), counted from what the
    process maps already (Sage alone maps 1 to 2 GB), so that the budget is the
    case's own. A case that needs more fails on an allocation.

    EXAMPLES::

        sage: from sage_conslaws.studies.run import limit_memory
        sage: limit_memory(None)
        sage: limit_memory(-1)
        Traceback (most recent call last):
        ...
        ValueError: the memory of a case must be a positive number of GB below 2^20, got -1
    """
    if memory is None:
        return
    check_memory(memory)
    with open("/proc/self/statm") as f:
        mapped = int(f.read().split()[0]) * resource.getpagesize()
    limit = mapped + int(float(memory) * 2**30)
    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    resource.setrlimit(resource.RLIMIT_AS, (limit, hard))


def _child(writing, line, seed, discover, budget, memory):
    # in the forked process: the count, under the memory limit; never returns
    start = time.perf_counter()
    try:
        try:
            limit_memory(memory)
            outcome = _outcome(line, seed, discover, budget)
        except MemoryError:
            outcome = _stopped(line, seed, "failed", "out of memory: the case needs more than "
                               f"{memory:g} GB", start)
        except BaseException as error:  # noqa: B036 - the child reports whatever stopped it
            outcome = _stopped(line, seed, "failed", f"{type(error).__name__}: {error}", start)
        data = pickle.dumps(outcome)
        while data:
            data = data[os.write(writing, data):]
    finally:
        os._exit(0)


def _stopped(line, seed, status, message, start):
    return {"line": line, "seed": seed, "status": status, "result": {"error": message},
            "seconds": round(time.perf_counter() - start, 3)}


def _outcome(line, seed, discover, budget):
    # the count of one case in this process, as plain values
    from sage_conslaws.interface.cases import count_case, parse_case
    start = time.perf_counter()
    try:
        case = parse_case(line)
        case.discover = case.discover or discover
        if case.budget is None:
            case.budget = budget
        result = count_case(case, seed).as_dict()
    except (ValueError, TypeError) as error:
        return _stopped(line, seed, "refused", str(error), start)
    except MemoryError:
        raise
    except Exception as error:  # a bug or a resource error of one case must not end a study
        return _stopped(line, seed, "failed", f"{type(error).__name__}: {error}", start)
    return {"line": line, "seed": seed, "status": result["certificate_kind"], "result": result,
            "seconds": round(time.perf_counter() - start, 3)}


def pending_cases(lines, seed=0, store=None, rerun=False):
    r"""
    Return the cases of ``lines`` and those of them still to run: not in ``store`` with ``seed`` (all of them with ``rerun``).

    With a store, a line given twice is one case.

    EXAMPLES::

        sage: import os, tempfile
        sage: from sage_conslaws.studies.run import pending_cases
        sage: from sage_conslaws.studies.store import ResultsStore
        sage: S = ResultsStore(os.path.join(tempfile.mkdtemp(), "r.sqlite"))
        sage: _ = S.record("linear 1,1,1", 0, "proven", {}, 0.1)
        sage: pending_cases(["linear 1,1,1", "nmf 2,2,2", "nmf 2,2,2"], 0, S)
        (['linear 1,1,1', 'nmf 2,2,2'], ['nmf 2,2,2'])
        sage: pending_cases(["linear 1,1,1", "nmf 2,2,2"], 0, S, rerun=True)[1]
        ['linear 1,1,1', 'nmf 2,2,2']
    """
    if store is None:
        return list(lines), list(lines)
    cases = list(dict.fromkeys(lines))
    done = set() if rerun else store.done_keys()
    return cases, [line for line in cases if (line, seed) not in done]


def run_cases(lines, seed=0, discover=False, budget=None, store=None, rerun=False, workers=None,
              scheduler=None, timeout=None, memory=None):
    r"""
    Run the cases ``lines`` not yet in ``store``; yield each outcome as it finishes (after storing it).

    INPUT:

    - ``lines`` -- the cases, as lines of a sweep file
    - ``seed``, ``discover``, ``budget``, ``timeout``, ``memory`` -- as for :func:`run_case`
    - ``store`` -- (default: ``None``) a
      :class:`~sage_conslaws.studies.store.ResultsStore`: the cases stored
      there with this seed are skipped, the others recorded as they finish
    - ``rerun`` -- (default: ``False``) run the stored cases again and replace them
    - ``workers`` -- (default: ``None``) run on that many local worker processes
      (a Dask ``LocalCluster`` on the loopback interface)
    - ``scheduler`` -- (default: ``None``) the address of a Dask scheduler to run on

    EXAMPLES::

        sage: from sage_conslaws.studies.run import run_cases
        sage: [(o["line"], o["status"]) for o in run_cases(["linear 1,2,1", "relu 2,2,1"])]
        [('linear 1,2,1', 'proven'), ('relu 2,2,1', 'proven')]
    """
    check_memory(memory)
    _, todo = pending_cases(lines, seed, store, rerun)
    options = dict(seed=seed, discover=discover, budget=budget, timeout=timeout, memory=memory)
    if workers is None and scheduler is None:
        outcomes = (run_case(line, **options) for line in todo)
    else:
        outcomes = _on_dask(todo, options, workers, scheduler)
    for outcome in outcomes:
        if store is not None:
            store.record(outcome["line"], seed, outcome["status"], outcome["result"],
                         outcome["seconds"], rerun=rerun)
        yield outcome


def _on_dask(lines, options, workers, scheduler):
    # the outcomes of the cases on a Dask cluster, in the order they finish
    try:
        from distributed import Client, LocalCluster, as_completed
    except ImportError:
        raise ValueError("running on workers needs Dask: install sage-conslaws[cluster]") from None
    if scheduler is not None:
        client, cluster = Client(scheduler, timeout=30), None
    else:
        cluster = LocalCluster(n_workers=int(workers), threads_per_worker=1, processes=True,
                               host="127.0.0.1", dashboard_address=":0")
        client = Client(cluster)
    try:
        futures = [client.submit(run_in_engine, line, pure=False, **options) for line in lines]
        for future in as_completed(futures):
            yield future.result()
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
