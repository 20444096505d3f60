r"""
The engine of a worker: a process that runs cases in its main thread

``python -m sage_conslaws.studies.engine [GB]`` reads requests on its standard
input and writes outcomes on its standard output, each a pickle preceded by
its length (8 bytes, big-endian): a request is ``(line, seed, discover,
budget)``, an outcome the dictionary of
:func:`~sage_conslaws.studies.run.run_case`. With ``GB``, its address space
is limited to that many gigabytes (a case that needs more fails with a clear
message). :func:`~sage_conslaws.studies.run.run_in_engine` starts and drives it.

EXAMPLES::

    sage: import pickle, subprocess, sys
    sage: engine = subprocess.Popen([sys.executable, "-m", "sage_conslaws.studies.engine"],
    ....:                           stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    sage: request = pickle.dumps(("linear 1,2,1", 0, False, None))
    sage: _ = engine.stdin.write(len(request).to_bytes(8, "big") + request); engine.stdin.flush()
    sage: size = int.from_bytes(engine.stdout.read(8), "big")
    sage: pickle.loads(engine.stdout.read(size))["result"]["laws"]
    3
    sage: engine.stdin.close(); engine.wait()
    0
"""
import ctypes
import pickle
import signal
import sys
import time


def _die_with_parent():
    # Linux: the engine is killed when the worker that started it ends (Ctrl-C, a closed
    # cluster), instead of finishing a case nobody waits for
    try:
        ctypes.CDLL(None).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


def serve(memory=None):
    r"""
    Answer the requests of standard input until it closes.

    INPUT:

    - ``memory`` -- (default: ``None``) gigabytes of address space allowed

    EXAMPLES::

        sage: from sage_conslaws.studies.engine import serve
        sage: serve  # run as python -m sage_conslaws.studies.engine
        <function serve at ...>
    """
    from sage_conslaws.studies.run import _outcome, _stopped, limit_memory
    import sage_conslaws.laws.count  # noqa: F401 - Sage first: the budget is the cases' own
    _die_with_parent()
    limit_memory(None if memory is None else float(memory))
    requests, answers = sys.stdin.buffer, sys.stdout.buffer
    while True:
        header = requests.read(8)
        if len(header) < 8:
            return
        line, seed, discover, budget = pickle.loads(requests.read(int.from_bytes(header, "big")))
        start = time.perf_counter()
        try:
            outcome = _outcome(line, seed, discover, budget)
        except MemoryError:
            outcome = _stopped(line, seed, "failed", "out of memory: the case needs more than "
                               f"{memory} GB", start)
        data = pickle.dumps(outcome)
        answers.write(len(data).to_bytes(8, "big") + data)
        answers.flush()


if __name__ == "__main__":
    serve(sys.argv[1] if len(sys.argv) > 1 else None)
