r"""
Presentation of results: numbers, JSON lines, aligned reports

The results of the package know their own reports (``.report()``) and
dictionaries (``.as_dict()``); this module holds what those and the command
line :mod:`sage_conslaws.interface.cli` share. It imports neither Sage nor numpy.

EXAMPLES::

    sage: from sage_conslaws.interface.report import json_line, number
    sage: number(1.13441873), number(1.7e235), number(3e-9)
    ('1.1344', '1.700e+235', '3.000e-09')
    sage: json_line({"loss": float("inf"), "laws": 4})
    '{"loss": null, "laws": 4}'
"""
import json
import math
from numbers import Integral, Rational, Real

#: Numbers of reports are written in fixed point in ``[SMALL, LARGE)``, in scientific notation outside.
SMALL, LARGE = 1e-3, 1e6


def number(x, decimals=4):
    r"""
    Return the real number ``x`` as text for a report: fixed point when moderate, else scientific.

    Never a long row of digits: a loss of `10^{235}` is ``1.700e+235``.

    INPUT:

    - ``x`` -- a real number (a Python, numpy or Sage one)
    - ``decimals`` -- (default: 4) the number of decimals in fixed point;
      scientific notation keeps one digit fewer after the point

    EXAMPLES::

        sage: from sage_conslaws.interface.report import number
        sage: number(0.7415), number(123456.789), number(2e6), number(-0.0004)
        ('0.7415', '123456.7890', '2.000e+06', '-4.000e-04')
        sage: number(0), number(float("nan")), number(float("-inf")), number(1/3, decimals=2)
        ('0.0000', 'nan', '-inf', '0.33')
    """
    x = float(x)
    if x == 0 or not math.isfinite(x) or SMALL <= abs(x) < LARGE:
        return f"{x:.{decimals}f}"
    return f"{x:.{max(decimals - 1, 0)}e}"


def json_safe(value):
    r"""
    Return ``value`` made of what strict JSON holds only.

    That is ``None``, booleans, ints, finite floats, strings, lists, and
    dictionaries with string keys.

    Integers of any kind (Sage, numpy) become ``int``, exact fractions their
    text (``"1/2"``, as elsewhere in the package), other real numbers
    ``float``, an infinite or NaN one ``None`` (JSON has no infinity), and
    anything else (a polynomial) its text.

    EXAMPLES::

        sage: from sage_conslaws.interface.report import json_safe
        sage: json_safe({"D": Integer(24), "tau": 1/2, "x": float("nan"), "w": (1, RDF(0.5))})
        {'D': 24, 'tau': '1/2', 'w': [1, 0.5], 'x': None}
    """
    if value is None or isinstance(value, (bool, str)):
        return value
    if isinstance(value, dict):
        return {str(key): json_safe(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [json_safe(item) for item in value]
    if isinstance(value, Integral):
        return int(value)
    if isinstance(value, Rational):
        return str(value)
    if isinstance(value, Real):
        value = float(value)
        return value if math.isfinite(value) else None
    return str(value)


def json_line(record):
    r"""
    Return ``record`` (a dictionary) as one line of strict JSON.

    EXAMPLES::

        sage: from sage_conslaws.interface.report import json_line
        sage: json_line({"laws": Integer(4), "certified": True, "drift": {"neuron 1.0": 1e-3}})
        '{"laws": 4, "certified": true, "drift": {"neuron 1.0": 0.001}}'
    """
    return json.dumps(json_safe(record), allow_nan=False)


#: The short name of each rung of the certification ladder, for the lines of a sweep
#: (the rungs are the ``PROOF_`` constants of :mod:`sage_conslaws.closure.certificate`).
RUNGS = {"rank D": "rank D", "known laws": "known laws", "discovered laws": "discovered",
         "involutivity (minors)": "minors", "involutivity (Groebner bases)": "Groebner",
         "random verification": "random"}

#: The kinds of certificates, in the order of the totals of a sweep.
KINDS = ("proven", "probabilistic", "not verified")


def certificate_label(kind, proof=None, error_bound=None):
    r"""
    Return the kind of a certificate and the rung that gave it, in a few words.

    INPUT:

    - ``kind`` -- ``"proven"``, ``"probabilistic"`` or ``"not verified"``
    - ``proof`` -- (default: ``None``) the rung of the ladder (see :data:`RUNGS`)
    - ``error_bound`` -- (default: ``None``) the error bound of a probabilistic count

    EXAMPLES::

        sage: from sage_conslaws.interface.report import certificate_label
        sage: certificate_label("proven", "involutivity (Groebner bases)")
        'proven: Groebner'
        sage: certificate_label("probabilistic", "random verification", 3.5e-18)
        'probabilistic: random, p <= 3.5e-18'
        sage: certificate_label("not verified")
        'NOT verified'
    """
    if kind == "not verified":
        return "NOT verified"
    label = f"{kind}: {RUNGS.get(proof, proof)}"
    if kind == "probabilistic" and error_bound is not None:
        label += f", p <= {float(error_bound):.1e}"
    return label


class SweepTable:
    r"""
    The results of a sweep: one aligned line (or JSON object) per case, then the totals.

    Each line gives the kind of the certificate and the rung of the ladder
    that gave it (:func:`certificate_label`); the totals count each kind, the
    largest error bound of the probabilistic counts and the cases refused.

    INPUT:

    - ``cases`` -- the texts of the cases, to align the columns

    EXAMPLES::

        sage: from sage_conslaws import LinearNetwork, ReLUNetwork
        sage: from sage_conslaws.interface.report import SweepTable
        sage: table = SweepTable(["linear 1,2,1", "relu 2,2,1 --bias"])
        sage: table.add("linear 1,2,1", LinearNetwork([1, 2, 1]).conservation_laws().as_dict(), 0.25)
        'linear 1,2,1       D=4    dim Lie=1    laws=3    proven: known laws                   0.25 s'
        sage: r = ReLUNetwork([2, 2, 1], bias=True).conservation_laws()
        sage: import json
        sage: d = json.loads(table.add("relu 2,2,1 --bias", r.as_dict(), 0.5, as_json=True))
        sage: d["case"], d["laws"], d["certificate_kind"], d["seconds"]
        ('relu 2,2,1 --bias', 2, 'proven', 0.5)
        sage: table.totals()
        '2 cases: 2 proven, 0 probabilistic, 0 not verified; 5 laws in all, 0.75 s'
        sage: table.totals(as_json=True)
        '{"totals": {"cases": 2, "proven": 2, "probabilistic": 0, "not_verified": 0, "max_error_bound": null, "refused": 0, "failed": 0, "timed_out": 0, "laws": 5, "seconds": 0.75}}'

    A probabilistic count, and a refused case::

        sage: M = LinearNetwork([2, 3, 2])
        sage: r = M.conservation_laws(discover=True, budget=0)
        sage: table.add("linear 2,3,2 --discover --budget 0", r.as_dict(), 1.0)
        'linear 2,3,2 --discover --budget 0D=12   dim Lie=6    laws=6    probabilistic: random, p <= ...   1.00 s'
        sage: table.refuse("map 'x-x'", "the map is constant")
        "map 'x-x'          refused: the map is constant"
        sage: table.totals()
        '4 cases: 2 proven, 1 probabilistic (largest error bound ...), 0 not verified, 1 refused; 11 laws in all, 1.75 s'
    """

    def __init__(self, cases):
        self._width = max((len(case) for case in cases), default=0) + 2
        self._kinds = dict.fromkeys(KINDS, 0)
        self._refused = self._laws = 0
        self._stopped = {}  # "failed" and "timed out": how many
        self._error = None
        self._seconds = 0.0

    def add(self, case, result, seconds, as_json=False):
        r"""
        Record the count ``result`` of ``case``, which took ``seconds``; return its line.

        INPUT:

        - ``case`` -- the text of the case
        - ``result`` -- the ``as_dict()`` of its
          :class:`~sage_conslaws.laws.result.ConservationLawCount` (as a case's
          outcome carries it, from any process)
        - ``seconds`` -- the time it took
        - ``as_json`` -- (default: ``False``) whether the line is a JSON object
          (that of ``result``, with ``case`` and ``seconds``)

        EXAMPLES::

            sage: from sage_conslaws import PolynomialMap
            sage: from sage_conslaws.interface.report import SweepTable
            sage: r = PolynomialMap(["x*y"]).conservation_laws()
            sage: SweepTable(["xy"]).add("xy", r.as_dict(), 1234567.0)
            'xy  D=2    dim Lie=1    laws=1    proven: discovered                   1.2e+06 s'
        """
        kind, error = result["certificate_kind"], result["error_bound"]
        self._kinds[kind] += 1
        if kind == "probabilistic" and error is not None:
            self._error = max(float(error), self._error or 0.0)
        self._laws += int(result["laws"])
        self._seconds += float(seconds)
        if as_json:
            return json_line(dict(result, case=case, seconds=round(float(seconds), 3)))
        label = certificate_label(kind, result["proof"], error)
        return (f"{case:<{self._width}}D={result['parameters']:<5}"
                f"dim Lie={result['lie_dimension']:<5}laws={result['laws']:<5}"
                f"{label:<37}{_seconds(seconds)}")

    def outcome(self, outcome, as_json=False):
        r"""
        Record the outcome of a case run by :func:`~sage_conslaws.studies.run.run_case`; return its line.

        EXAMPLES::

            sage: from sage_conslaws.interface.report import SweepTable
            sage: T = SweepTable(["relu 9,9"])
            sage: T.outcome({"line": "relu 9,9", "status": "timed out", "seconds": 5.0,
            ....:            "result": {"error": "stopped after 5 s"}})
            'relu 9,9  timed out: stopped after 5 s'
            sage: T.totals()
            '1 case: 0 proven, 0 probabilistic, 0 not verified, 1 timed out; 0 laws in all, 5.00 s'
        """
        line, status = outcome["line"], outcome["status"]
        if status in KINDS:
            return self.add(line, outcome["result"], outcome["seconds"], as_json)
        self._seconds += float(outcome["seconds"])
        if status == "refused":
            return self.refuse(line, outcome["result"]["error"], as_json)
        self._stopped[status] = self._stopped.get(status, 0) + 1
        if as_json:
            return json_line({"case": line, status.replace(" ", "_"): outcome["result"]["error"]})
        return f"{line:<{self._width}}{status}: {outcome['result']['error']}"

    def refuse(self, case, message, as_json=False):
        r"""
        Record that ``case`` was refused with ``message`` (a one-line error); return its line.

        EXAMPLES::

            sage: from sage_conslaws.interface.report import SweepTable
            sage: SweepTable(["relu 9,9"]).refuse("relu 9,9", "beyond reach", as_json=True)
            '{"case": "relu 9,9", "refused": "beyond reach"}'
        """
        self._refused += 1
        if as_json:
            return json_line({"case": case, "refused": message})
        return f"{case:<{self._width}}refused: {message}"

    def refused(self):
        r"""
        Return the number of cases refused.

        EXAMPLES::

            sage: from sage_conslaws.interface.report import SweepTable
            sage: SweepTable([]).refused()
            0
        """
        return self._refused

    def totals(self, as_json=False):
        r"""
        Return the line of the totals: cases, each kind of certificate, refusals, laws, time.

        EXAMPLES::

            sage: from sage_conslaws.interface.report import SweepTable
            sage: SweepTable(["linear 1,1,1"]).totals()
            '0 cases: 0 proven, 0 probabilistic, 0 not verified; 0 laws in all, 0.00 s'
        """
        cases = sum(self._kinds.values()) + self._refused + sum(self._stopped.values())
        if as_json:
            return json_line({"totals": {
                "cases": cases, "proven": self._kinds["proven"],
                "probabilistic": self._kinds["probabilistic"],
                "not_verified": self._kinds["not verified"], "max_error_bound": self._error,
                "refused": self._refused, "failed": self._stopped.get("failed", 0),
                "timed_out": self._stopped.get("timed out", 0), "laws": self._laws,
                "seconds": round(float(self._seconds), 3)}})
        kinds = [f"{self._kinds[kind]} {kind}" for kind in KINDS]
        if self._error is not None:
            kinds[1] += f" (largest error bound {self._error:.1e})"
        if self._refused:
            kinds.append(f"{self._refused} refused")
        kinds += [f"{n} {status}" for status, n in sorted(self._stopped.items())]
        return (f"{cases} case{'' if cases == 1 else 's'}: {', '.join(kinds)}; "
                f"{self._laws} laws in all, "
                f"{_seconds(self._seconds)}")


def _seconds(seconds):
    return f"{number(seconds, decimals=2)} s"


def symmetry_report(model, dynamics="gradient", cross_check=None):
    r"""
    Return the :class:`SymmetryReport` of ``model``: its linear symmetries and their Noether laws.

    INPUT:

    - ``model`` -- a :class:`~sage_conslaws.models.base.Model`
    - ``dynamics`` -- (default: ``"gradient"``) the name of the dynamics of the
      Noether laws (see :func:`~sage_conslaws.dynamics.equations.dynamics`)
    - ``cross_check`` -- (default: ``None``) a flow (``"gradient"``,
      ``"momentum"`` or ``"nesterov"``) whose exact count of laws is compared
      with the Noether laws (:func:`~sage_conslaws.symmetries.cross_check.noether_cross_check`)

    A model whose `\phi` is not polynomial (Swish) has no computed algebra:
    the report then lists the generators the model knows.

    EXAMPLES::

        sage: from sage_conslaws import LinearNetwork
        sage: from sage_conslaws.interface.report import symmetry_report
        sage: d = symmetry_report(LinearNetwork([1, 2, 1])).as_dict()
        sage: d["dimension"], d["dynamics"], len(d["laws"]), d["energy"]
        (6, 'gradient flow', 6, "d/dt[L(theta)] = -|theta'|^2")
        sage: from sage_conslaws.models.registry import build_model
        sage: print(symmetry_report(build_model("swish", "1,1,1")).report())
        MLP([1, 1, 1], activations=[swish]) with 3 parameters
          linear symmetries     : not computed (... has no polynomial reparametrization: ...)
          the model's generators: 1
          Noether laws under gradient flow: theta' + grad L(theta) = 0
            rescale neuron 1.0: conserved 1/2*w1_0_0^2 - 1/2*beta1_0^2 - 1/2*w2_0_0^2
            time translation: d/dt[L(theta)] = -|theta'|^2
    """
    from sage_conslaws.dynamics.equations import dynamics as named_dynamics
    from sage_conslaws.symmetries.cross_check import noether_cross_check
    from sage_conslaws.symmetries.noether import noether_laws
    from sage_conslaws.symmetries.solve import linear_symmetries
    flow = named_dynamics(dynamics)
    laws = noether_laws(model, flow)
    try:
        algebra, reason = linear_symmetries(model), None
    except ValueError as error:
        # phi not polynomial (Swish): only the model's own generators are known
        if not callable(getattr(model, "symmetry_generators", None)):
            raise
        algebra, reason = None, str(error)
    check = noether_cross_check(model, flow=cross_check) if cross_check is not None else None
    return SymmetryReport(model, flow, laws, algebra, reason, check)


class SymmetryReport:
    r"""
    The linear symmetries of a model, the Noether law of each under a dynamics, and a cross-check.

    Build it with :func:`symmetry_report`.

    INPUT:

    - ``model`` -- the model
    - ``flow`` -- the :class:`~sage_conslaws.dynamics.equations.Dynamics`
    - ``laws`` -- the :class:`~sage_conslaws.symmetries.noether.NoetherLaw` of each generator
    - ``algebra`` -- the :class:`~sage_conslaws.symmetries.algebra.SymmetryAlgebra`, or
      ``None`` when it could not be computed
    - ``reason`` -- why it could not (or ``None``)
    - ``check`` -- the :class:`~sage_conslaws.symmetries.cross_check.NoetherCrossCheck`, or ``None``

    EXAMPLES::

        sage: from sage_conslaws import ReLUNetwork
        sage: from sage_conslaws.interface.report import symmetry_report
        sage: symmetry_report(ReLUNetwork([1, 2, 1]), "newtonian")
        2 linear symmetries of ReLUNetwork([1, 2, 1]) with 4 parameters, under Newtonian dynamics
    """

    def __init__(self, model, flow, laws, algebra, reason, check):
        self._model = model
        self._flow = flow
        self._laws = laws
        self._algebra = algebra
        self._reason = reason
        self._check = check

    def as_dict(self):
        r"""
        Return the report as a dictionary of plain Python values (for JSON).

        The keys of :meth:`SymmetryAlgebra.as_dict()
        <sage_conslaws.symmetries.algebra.SymmetryAlgebra.as_dict>` (``None`` for the
        dimensions that were not computed), ``dynamics``, ``laws`` (one
        dictionary per generator), ``energy`` (the identity of time
        translation) and, with a cross-check, ``cross_check``.

        EXAMPLES::

            sage: from sage_conslaws import LinearNetwork
            sage: from sage_conslaws.interface.report import symmetry_report
            sage: d = symmetry_report(LinearNetwork([1, 2, 1]), cross_check="gradient").as_dict()
            sage: d["cross_check"]["engine_laws"], d["cross_check"]["not_from_symmetries"]
            (3, 0)
        """
        facts = self._algebra.as_dict() if self._algebra is not None else {
            "model": repr(self._model), "dimension": None, "symmetric_dimension": None,
            "skew_dimension": None, "generators": [law.generator().name() for law in self._laws]}
        record = dict(facts, dynamics=self._flow.name(),
                      laws=[law.as_dict() for law in self._laws],
                      energy=self._flow.energy_identity()[1])
        if self._check is not None:
            record["cross_check"] = {key: value for key, value in self._check.as_dict().items()
                                     if key != "laws"}
        return record

    def report(self, limit=12):
        r"""
        Return a readable multi-line report.

        INPUT:

        - ``limit`` -- (default: 12) at most this many generators and laws are
          shown; the others are counted

        EXAMPLES::

            sage: from sage_conslaws import ReLUNetwork
            sage: from sage_conslaws.interface.report import symmetry_report
            sage: print(symmetry_report(ReLUNetwork([1, 3, 1])).report(limit=1))
            ReLUNetwork([1, 3, 1]) with 6 parameters
              linear symmetries     : dimension 3 (symmetric 3, skew 0)
              derived algebra       : dimension 0 (abelian)
              basis                 :
                rescale neuron 1.0: w1_0_0*d/dw1_0_0 - w2_0_0*d/dw2_0_0
                ... and 2 more
              Noether laws under gradient flow: theta' + grad L(theta) = 0
                rescale neuron 1.0: conserved 1/2*w1_0_0^2 - 1/2*w2_0_0^2
                ... and 2 more
                time translation: d/dt[L(theta)] = -|theta'|^2
        """
        laws = self._laws
        lines = [self._algebra.report(limit) if self._algebra is not None else
                 f"{self._model!r}\n  linear symmetries     : not computed ({self._reason})\n"
                 f"  the model's generators: {len(laws)}",
                 f"  Noether laws under {self._flow!r}"]
        lines += [f"    {law.generator().name()}: {law.text()}" for law in laws[:limit]]
        if len(laws) > limit:
            lines.append(f"    ... and {len(laws) - limit} more")
        lines.append(f"    time translation: {self._flow.energy_identity()[1]}")
        if self._check is not None:
            lines.append(self._check.report())
        return "\n".join(lines)

    def __repr__(self):
        return (f"{len(self._laws)} linear symmetries of {self._model!r}, under "
                f"{self._flow.name()}")
