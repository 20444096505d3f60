r"""
Progress reports on standard error

Long computations report what they are doing on standard error, so that
standard output stays clean for results (and JSON). Reports are off unless
asked for: doctests and library calls stay silent.

EXAMPLES::

    sage: from sage_conslaws.interface.progress import Progress
    sage: import io
    sage: out = io.StringIO()
    sage: p = Progress(stream=out)
    sage: p.update("level 1: rank 3/4")
    sage: p.done()
    sage: out.getvalue()
    '\r\x1b[Klevel 1: rank 3/4\r\x1b[K'
"""
import sys
import time


class Progress:
    r"""
    A one-line status on a stream (standard error by default).

    INPUT:

    - ``enabled`` -- (default: ``True``) whether to write anything
    - ``stream`` -- (default: ``sys.stderr``) where to write
    - ``prefix`` -- (default: ``""``) text put before every message

    EXAMPLES::

        sage: from sage_conslaws.interface.progress import Progress
        sage: Progress(enabled=False).update("nothing is written")
    """

    def __init__(self, enabled=True, stream=None, prefix=""):
        self._enabled = enabled
        self._stream = stream if stream is not None else sys.stderr
        self._prefix = prefix

    def enabled(self):
        r"""
        Return whether anything is written (so that costly messages can be skipped).

        EXAMPLES::

            sage: from sage_conslaws.interface.progress import Progress
            sage: Progress(enabled=False).enabled()
            False
        """
        return self._enabled

    def update(self, message):
        r"""
        Replace the status line by ``message``.

        EXAMPLES::

            sage: from sage_conslaws.interface.progress import Progress
            sage: import io
            sage: out = io.StringIO()
            sage: Progress(stream=out, prefix="[relu 3,4,2] ").update("level 0")
            sage: out.getvalue()
            '\r\x1b[K[relu 3,4,2] level 0'
        """
        if self._enabled:
            self._stream.write("\r\x1b[K" + self._prefix + message)
            self._stream.flush()

    def done(self):
        r"""
        Erase the status line.

        EXAMPLES::

            sage: from sage_conslaws.interface.progress import Progress
            sage: import io
            sage: out = io.StringIO()
            sage: Progress(stream=out).done(); out.getvalue()
            '\r\x1b[K'
        """
        if self._enabled:
            self._stream.write("\r\x1b[K")
            self._stream.flush()

    def with_prefix(self, prefix):
        r"""
        Return a progress on the same stream whose messages start with ``prefix``.

        EXAMPLES::

            sage: from sage_conslaws.interface.progress import Progress
            sage: import io
            sage: out = io.StringIO()
            sage: Progress(stream=out).with_prefix("[3/50] ").update("x"); out.getvalue()
            '\r\x1b[K[3/50] x'
        """
        return Progress(self._enabled, self._stream, prefix)


def progress_bar(done, total, width=30):
    r"""
    Return a text progress bar for ``done`` out of ``total`` steps.

    EXAMPLES::

        sage: from sage_conslaws.interface.progress import progress_bar
        sage: progress_bar(5, 20, width=8)
        '[##......]   5/20'
    """
    filled = width * done // total if total else width
    digits = len(str(total))
    return "[" + "#" * filled + "." * (width - filled) + f"] {done:>{digits + 1}}/{total}"


class Stopwatch:
    r"""
    Wall-clock time since creation, in seconds.

    EXAMPLES::

        sage: from sage_conslaws.interface.progress import Stopwatch
        sage: Stopwatch().seconds() >= 0
        True
    """

    def __init__(self):
        self._start = time.perf_counter()

    def seconds(self):
        r"""
        Return the seconds elapsed since creation.

        EXAMPLES::

            sage: from sage_conslaws.interface.progress import Stopwatch
            sage: Stopwatch().seconds() >= 0
            True
        """
        return time.perf_counter() - self._start
