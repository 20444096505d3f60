r"""
Looking at a study: totals, the slowest cases, figures, a CSV file

:class:`StudyReport` reads a :class:`~sage_conslaws.studies.store.ResultsStore`:
the totals of each status, the slowest cases, the exponent `a` of the fit
`\text{seconds} \approx c\,D^a` over the counted cases (least squares on
log-log axes), and a figure with three panels: the number of laws against `D`,
against the number of laws known in closed form, and the time against `D` on
log-log axes with the fit.

EXAMPLES::

    sage: import os, tempfile
    sage: from sage_conslaws.studies.store import ResultsStore
    sage: from sage_conslaws.studies.report import StudyReport
    sage: S = ResultsStore(os.path.join(tempfile.mkdtemp(), "r.sqlite"))
    sage: for D, s in ((10, 0.1), (100, 10.0), (1000, 1000.0)):
    ....:     _ = S.record(f"case {D}", 0, "proven", {"parameters": D, "laws": D // 10,
    ....:                  "known_laws": {}}, s)
    sage: _ = S.record("case x", 0, "timed out", {"error": "stopped after 5 s"}, 5.0)
    sage: R = StudyReport(S); list(R.totals().items())
    [('cases', 4), ('proven', 3), ('probabilistic', 0), ('not verified', 0), ('refused', 0),
     ('failed', 0), ('timed out', 1)]
    sage: round(R.time_exponent(), 6)
    2.0
"""
import csv
import math

from sage_conslaws.studies.store import STATUSES

#: The statuses whose results are counts (they have a number of laws).
COUNTED = ("proven", "probabilistic", "not verified")


class StudyReport:
    r"""
    The report of the study stored in ``store``.

    INPUT:

    - ``store`` -- a :class:`~sage_conslaws.studies.store.ResultsStore`

    EXAMPLES::

        sage: import os, tempfile
        sage: from sage_conslaws.studies.store import ResultsStore
        sage: from sage_conslaws.studies.report import StudyReport
        sage: StudyReport(ResultsStore(os.path.join(tempfile.mkdtemp(), "r.sqlite"))).report()
        'no case stored'
    """

    def __init__(self, store):
        self._store = store
        self._rows = store.rows()

    def totals(self):
        r"""
        Return the number of cases, and of each status.

        EXAMPLES::

            sage: import os, tempfile
            sage: from sage_conslaws.studies.store import ResultsStore
            sage: from sage_conslaws.studies.report import StudyReport
            sage: S = ResultsStore(os.path.join(tempfile.mkdtemp(), "r.sqlite"))
            sage: StudyReport(S).totals()["cases"]
            0
        """
        totals = {"cases": len(self._rows)}
        totals.update({status: sum(row["status"] == status for row in self._rows)
                       for status in STATUSES})
        return totals

    def counted(self):
        r"""
        Return ``(line, D, laws, known laws, seconds)`` for each case that was counted.

        EXAMPLES::

            sage: import os, tempfile
            sage: from sage_conslaws.studies.store import ResultsStore
            sage: from sage_conslaws.studies.report import StudyReport
            sage: S = ResultsStore(os.path.join(tempfile.mkdtemp(), "r.sqlite"))
            sage: _ = S.record("relu 2,2,1", 0, "proven", {"parameters": 6, "laws": 2,
            ....:              "known_laws": {"a": "x", "b": "y"}}, 0.5)
            sage: StudyReport(S).counted()
            [('relu 2,2,1', 6, 2, 2, 0.5)]
        """
        return [(row["line"], row["result"]["parameters"], row["result"]["laws"],
                 len(row["result"].get("known_laws") or {}), row["seconds"])
                for row in self._rows if row["status"] in COUNTED]

    def slowest(self, count=5):
        r"""
        Return the ``count`` slowest cases, as ``(line, status, seconds)``.

        EXAMPLES::

            sage: import os, tempfile
            sage: from sage_conslaws.studies.store import ResultsStore
            sage: from sage_conslaws.studies.report import StudyReport
            sage: S = ResultsStore(os.path.join(tempfile.mkdtemp(), "r.sqlite"))
            sage: _ = S.record("a", 0, "refused", {"error": "no"}, 0.1)
            sage: _ = S.record("b", 0, "timed out", {"error": "late"}, 9.0)
            sage: StudyReport(S).slowest(1)
            [('b', 'timed out', 9.0)]
        """
        rows = sorted(self._rows, key=lambda row: -row["seconds"])[:count]
        return [(row["line"], row["status"], row["seconds"]) for row in rows]

    def time_exponent(self):
        r"""
        Return the exponent `a` of the least-squares fit `\log s = a \log D + b` over the counted cases, or ``None`` with fewer than two distinct `D`.

        EXAMPLES::

            sage: import os, tempfile
            sage: from sage_conslaws.studies.store import ResultsStore
            sage: from sage_conslaws.studies.report import StudyReport
            sage: StudyReport(ResultsStore(os.path.join(tempfile.mkdtemp(), "r.sqlite"))).time_exponent() is None
            True
        """
        points = [(math.log(D), math.log(s)) for _, D, _, _, s in self.counted() if D > 0 and s > 0]
        if len({x for x, _ in points}) < 2:
            return None
        n = len(points)
        mx, my = sum(x for x, _ in points) / n, sum(y for _, y in points) / n
        return (sum((x - mx) * (y - my) for x, y in points)
                / sum((x - mx) ** 2 for x, _ in points))

    def report(self):
        r"""
        Return the report as text: totals, the fit of the time, the slowest cases.

        EXAMPLES::

            sage: import os, tempfile
            sage: from sage_conslaws.studies.store import ResultsStore
            sage: from sage_conslaws.studies.report import StudyReport
            sage: S = ResultsStore(os.path.join(tempfile.mkdtemp(), "r.sqlite"))
            sage: _ = S.record("relu 2,2,1", 0, "proven", {"parameters": 6, "laws": 2}, 0.5)
            sage: print(StudyReport(S).report())
            1 case: 1 proven, 0 probabilistic, 0 not verified, 0 refused, 0 failed, 0 timed out
            laws: 2 in all, 2 to 2 a case
            slowest cases:
              0.50 s  proven     relu 2,2,1
        """
        if not self._rows:
            return "no case stored"
        totals = self.totals()
        cases = totals.pop("cases")
        lines = [f"{cases} case{'' if cases == 1 else 's'}: "
                 + ", ".join(f"{n} {status}" for status, n in totals.items())]
        counted = self.counted()
        if counted:
            laws = [n for _, _, n, _, _ in counted]
            lines.append(f"laws: {sum(laws)} in all, {min(laws)} to {max(laws)} a case")
        exponent = self.time_exponent()
        if exponent is not None:
            lines.append(f"time ~ D^{exponent:.2f} (least squares on log-log axes, "
                         f"{len(counted)} counted cases)")
        lines.append("slowest cases:")
        lines += [f"  {seconds:.2f} s  {status:<10} {line}" for line, status, seconds
                  in self.slowest()]
        return "\n".join(lines)

    def as_dict(self):
        r"""
        Return the report as plain values (for JSON).

        EXAMPLES::

            sage: import os, tempfile
            sage: from sage_conslaws.studies.store import ResultsStore
            sage: from sage_conslaws.studies.report import StudyReport
            sage: sorted(StudyReport(ResultsStore(os.path.join(tempfile.mkdtemp(), "r.sqlite"))).as_dict())
            ['slowest', 'time_exponent', 'totals']
        """
        return {"totals": self.totals(), "time_exponent": self.time_exponent(),
                "slowest": [{"case": line, "status": status, "seconds": seconds}
                            for line, status, seconds in self.slowest()]}

    def write_csv(self, path):
        r"""
        Write one row per case to the CSV file ``path``: case, seed, status, D, laws, known laws, seconds, host, version.

        EXAMPLES::

            sage: import os, tempfile
            sage: from sage_conslaws.studies.store import ResultsStore
            sage: from sage_conslaws.studies.report import StudyReport
            sage: d = tempfile.mkdtemp(); S = ResultsStore(os.path.join(d, "r.sqlite"))
            sage: _ = S.record("relu 2,2,1", 0, "proven", {"parameters": 6, "laws": 2}, 0.5)
            sage: StudyReport(S).write_csv(os.path.join(d, "r.csv"))
            sage: open(os.path.join(d, "r.csv")).read().splitlines()[1][:32]
            '"relu 2,2,1",0,proven,6,2,0,0.5,'
        """
        try:
            with open(path, "w", newline="") as f:
                writer = csv.writer(f)
                writer.writerow(["case", "seed", "status", "D", "laws", "known_laws", "seconds",
                                 "host", "version"])
                for row in self._rows:
                    result = row["result"]
                    writer.writerow([row["line"], row["seed"], row["status"],
                                     result.get("parameters", ""), result.get("laws", ""),
                                     len(result.get("known_laws") or {}) if "laws" in result
                                     else "", row["seconds"], row["host"], row["version"]])
        except OSError as error:
            raise ValueError(f"cannot write {path}: {error.strerror}") from None

    def plot(self, path):
        r"""
        Write the figure of the study to the PNG file ``path`` (needs matplotlib).

        EXAMPLES::

            sage: import os, tempfile
            sage: from sage_conslaws.studies.store import ResultsStore
            sage: from sage_conslaws.studies.report import StudyReport
            sage: d = tempfile.mkdtemp(); S = ResultsStore(os.path.join(d, "r.sqlite"))
            sage: for D in (6, 12, 20):
            ....:     _ = S.record(f"relu {D}", 0, "proven", {"parameters": D, "laws": D // 3,
            ....:                  "known_laws": {str(i): "" for i in range(D // 3)}}, D / 100)
            sage: StudyReport(S).plot(os.path.join(d, "study.png"))
            sage: open(os.path.join(d, "study.png"), "rb").read(4)
            b'\x89PNG'
        """
        try:
            import matplotlib
            matplotlib.use("Agg")
            import matplotlib.pyplot as plt
        except ImportError:
            raise ValueError("a figure needs matplotlib: install sage-conslaws[simulate]") from None
        counted = self.counted()
        figure, (by_size, by_known, by_time) = plt.subplots(1, 3, figsize=(15, 4.5))
        D = [d for _, d, _, _, _ in counted]
        laws = [n for _, _, n, _, _ in counted]
        known = [k for _, _, _, k, _ in counted]
        seconds = [s for _, _, _, _, s in counted]
        by_size.scatter(D, laws, s=18)
        by_size.set(xlabel="D (parameters)", ylabel="laws", title="laws against D")
        by_known.scatter(known, laws, s=18)
        top = max(known + laws + [1])
        by_known.plot([0, top], [0, top], color="grey", linewidth=0.8, label="laws = known")
        by_known.set(xlabel="laws known in closed form", ylabel="laws (proven count)",
                     title="count against the known-law formula")
        by_known.legend()
        positive = [(d, s) for d, s in zip(D, seconds) if d > 0 and s > 0]
        if positive:
            by_time.loglog(*zip(*positive), "o", markersize=4)
        exponent = self.time_exponent()
        if exponent is not None:
            xs = sorted(d for d, _ in positive)
            mx = sum(math.log(d) for d, _ in positive) / len(positive)
            my = sum(math.log(s) for _, s in positive) / len(positive)
            by_time.loglog([xs[0], xs[-1]], [math.exp(my + exponent * (math.log(x) - mx))
                                             for x in (xs[0], xs[-1])],
                           color="C3", label=f"fit: D^{exponent:.2f}")
            by_time.legend()
        by_time.set(xlabel="D (parameters)", ylabel="seconds", title="time against D")
        totals = self.totals()
        figure.suptitle(f"{totals['cases']} cases: {totals['proven']} proven, "
                        f"{totals['probabilistic']} probabilistic, {totals['timed out']} timed "
                        f"out, {totals['failed'] + totals['refused']} failed or refused")
        figure.tight_layout()
        try:
            figure.savefig(path, dpi=100)
        except OSError as error:
            raise ValueError(f"cannot write {path}: {error.strerror}") from None
        finally:
            plt.close(figure)
