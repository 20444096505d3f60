r"""
The result of a count: the number of laws, the laws found, and the proof
(see :func:`~sage_conslaws.laws.count.count_conservation_laws`).
"""
from sage.misc.latex import latex
from sage.structure.sage_object import SageObject

from sage_conslaws.laws.forms import form_polynomials, form_text, quadratic_form
from sage_conslaws.limits import BeyondReach


class ConservationLawCount(SageObject):
    r"""
    The number of conservation laws of a model, the laws found, and the proof.

    Do not build it directly; call :func:`~sage_conslaws.laws.count.count_conservation_laws`.

    Its laws are pairs ``(name, polynomial)``, or ``(name, form)`` with
    ``form`` a quadratic form ``{(i, j): c}`` (see :mod:`~sage_conslaws.laws.forms`):
    the structured count of a layered network holds them so, and builds their
    polynomials only when asked (:meth:`laws`), as a network beyond 32767
    parameters has no polynomial ring.

    EXAMPLES::

        sage: from sage_conslaws import LinearNetwork
        sage: r = LinearNetwork([2, 3, 2]).conservation_laws()
        sage: r.parameters(), r.lie_dimension(), r.number_of_laws(), r.is_certified()
        (12, 6, 6, True)
        sage: sorted(r.as_dict())
        ['certificate', 'certificate_kind', 'certified', 'discover', 'error_bound',
         'known_laws', 'laws', 'lie_dimension', 'model', 'notes', 'parameters',
         'polynomial_laws', 'proof', 'seconds', 'verdict', 'why_not_certified']
    """

    def __init__(self, model, closure, certificate, laws, known, seconds, discover=False):
        self._model = model
        self._discover = discover
        self._closure = closure
        self._certificate = certificate
        laws = list(laws)
        held_as_forms = bool(laws) and isinstance(laws[0][1], dict)
        self._forms = laws if held_as_forms else None
        self._laws = None if held_as_forms else laws
        self._known = known
        self._seconds = seconds

    def model(self):
        r"""
        Return the model.

        EXAMPLES::

            sage: from sage_conslaws import LinearNetwork
            sage: LinearNetwork([1, 1, 1]).conservation_laws().model()
            LinearNetwork([1, 1, 1]) with 2 parameters
        """
        return self._model

    def parameters(self):
        r"""
        Return the number `D` of parameters.

        EXAMPLES::

            sage: from sage_conslaws import LinearNetwork
            sage: LinearNetwork([1, 1, 1]).conservation_laws().parameters()
            2
        """
        return self._model.dimension()

    def lie_dimension(self):
        r"""
        Return the generic dimension of `\mathrm{Lie}(W)(\theta)` found.

        EXAMPLES::

            sage: from sage_conslaws import LinearNetwork
            sage: LinearNetwork([1, 1, 1]).conservation_laws().lie_dimension()
            1
        """
        return self._certificate.lower_bound()

    def number_of_laws(self):
        r"""
        Return the number of independent conservation laws, `D - \dim \mathrm{Lie}(W)`.

        EXAMPLES::

            sage: from sage_conslaws import LinearNetwork
            sage: LinearNetwork([1, 1, 1]).conservation_laws().number_of_laws()
            1
        """
        return self.parameters() - self.lie_dimension()

    def is_certified(self):
        r"""
        Return whether the count is proven (see :class:`~sage_conslaws.closure.certificate.Certificate`).

        EXAMPLES::

            sage: from sage_conslaws import LinearNetwork
            sage: LinearNetwork([1, 1, 1]).conservation_laws().is_certified()
            True
        """
        return self._certificate.is_certified()

    def status(self):
        r"""
        Return ``"certified"``, ``"probabilistic"`` or ``"not verified"``
        (see :meth:`Certificate.status() <sage_conslaws.closure.certificate.Certificate.status>`).

        EXAMPLES::

            sage: from sage_conslaws import LinearNetwork
            sage: LinearNetwork([1, 1, 1]).conservation_laws().status()
            'certified'
        """
        return self._certificate.status()

    def status_label(self):
        r"""
        Return :meth:`status` as the summary lines write it: ``NOT verified`` in capitals.

        EXAMPLES::

            sage: from sage_conslaws import LinearNetwork
            sage: LinearNetwork([1, 1, 1]).conservation_laws().status_label()
            'certified'
        """
        status = self.status()
        return "NOT verified" if status == "not verified" else status

    def certificate(self):
        r"""
        Return the :class:`~sage_conslaws.closure.certificate.Certificate`.

        EXAMPLES::

            sage: from sage_conslaws import LinearNetwork
            sage: LinearNetwork([1, 1, 1]).conservation_laws().certificate().upper_bound()
            1
        """
        return self._certificate

    def closure(self):
        r"""
        Return the :class:`~sage_conslaws.closure.lie_closure.LieClosure` computed.

        EXAMPLES::

            sage: from sage_conslaws import LinearNetwork
            sage: LinearNetwork([1, 1, 1]).conservation_laws().closure().rank()
            1
        """
        return self._closure

    def laws(self):
        r"""
        Return functionally independent conservation laws found, as ``(name, polynomial)`` pairs.

        They are verified symbolically. When their number equals
        :meth:`number_of_laws`, every conservation law is locally a function of them.

        EXAMPLES::

            sage: from sage_conslaws import ReLUNetwork
            sage: ReLUNetwork([1, 1, 1]).conservation_laws().laws()
            [('neuron 1.0', w1_0_0^2 - w2_0_0^2)]

        TESTS:

        A network beyond 32767 parameters has no polynomial ring: its laws are
        quadratic forms (:meth:`law_forms`)::

            sage: from sage_conslaws import LinearNetwork
            sage: r = LinearNetwork([1, 20000, 1]).conservation_laws(); r.number_of_laws()
            39999
            sage: r.laws()
            Traceback (most recent call last):
            ...
            BeyondReach: LinearNetwork([1, 20000, 1]) has 40000 parameters, beyond reach: every parameter is a variable of a Singular polynomial ring (at most 32767 parameters)
        """
        if self._laws is None:
            self._laws = form_polynomials(self._model, self._forms)
        return list(self._laws)

    def law_forms(self):
        r"""
        Return the laws of :meth:`laws` as quadratic forms, ``(name, {(i, j): c})`` pairs over the positions of the parameters.

        ``ValueError`` if a law is not a quadratic form.

        EXAMPLES::

            sage: from sage_conslaws import LinearNetwork, PolynomialMap
            sage: r = LinearNetwork([1, 20000, 1]).conservation_laws()
            sage: r.law_forms()[1]
            ('W1 W1^T - W2^T W2 [0,1]', {(0, 1): 1, (20000, 20001): -1})
            sage: PolynomialMap(["x*y"]).conservation_laws().law_forms()
            [('degree 2 law 0', {(0, 0): 1, (1, 1): -1})]

        TESTS::

            sage: from sage_conslaws.dynamics import momentum_count
            sage: momentum_count(LinearNetwork([2, 2, 1]), damping=1).law_forms()
            Traceback (most recent call last):
            ...
            ValueError: momentum W1 [0,1], -s*w1_1_0*v_w1_0_0 - ... + s*w2_0_0*v_w2_0_1, is not a quadratic form
        """
        if self._forms is None:
            forms = [(name, quadratic_form(h)) for name, h in self._laws]
            for (name, form), (_, h) in zip(forms, self._laws):
                if form is None:
                    raise ValueError(f"{name}, {h}, is not a quadratic form")
            self._forms = forms
        return list(self._forms)

    def _held_laws(self):
        r"""
        Return the laws as held: forms, or polynomials (for a result built from this one).
        """
        return list(self._forms if self._laws is None else self._laws)

    def _number_found(self):
        r"""
        Return how many laws were found (known and discovered), however they are held.
        """
        return len(self._held_laws())

    def _law_texts(self):
        r"""
        Return the laws as ``(name, text)`` pairs: their polynomials printed, or their forms written (no ring needed).
        """
        if self._laws is not None:
            return [(name, str(h)) for name, h in self._laws]
        names = self._model.parameter_names()
        return [(name, form_text(form, names)) for name, form in self._forms]

    def verdict(self):
        r"""
        Return a sentence comparing the laws known in closed form with the count.

        EXAMPLES::

            sage: from sage_conslaws import LinearNetwork, PolynomialMap
            sage: LinearNetwork([2, 2, 2]).conservation_laws().verdict()
            'the 3 known laws are all the laws'
            sage: PolynomialMap(["x*y*z"]).conservation_laws().verdict()
            'the 2 laws discovered by the engine are all the laws'
            sage: PolynomialMap(["x*y*z"]).conservation_laws(degree=0).verdict()
            'there are 2 laws, none known in closed form'
        """
        n, known = self.number_of_laws(), self._known
        if n == 0:
            return "there is no conservation law"
        if known == n:
            return f"the {number_phrase(known, 'known law')} {_are(known)} all the laws"
        if self._number_found() == n and known == 0:
            return f"the {number_phrase(n)} discovered by the engine {_are(n)} all the laws"
        if self._number_found() == n:
            return (f"the {number_phrase(n)} found ({known} known, {n - known} discovered) "
                    f"{_are(n)} all the laws")
        found = self._number_found() - known
        if known == 0 and found:
            return (f"there {_are(n)} {number_phrase(n)}; {found} of them discovered by the "
                    "engine as polynomials")
        if known == 0:
            return f"there {_are(n)} {number_phrase(n)}, none known in closed form"
        return f"there {_are(n - known)} {number_phrase(n - known, 'more law')} than the {known} known"

    def seconds(self):
        r"""
        Return the wall-clock time of the computation, in seconds.

        EXAMPLES::

            sage: from sage_conslaws import LinearNetwork
            sage: LinearNetwork([1, 1, 1]).conservation_laws().seconds() >= 0
            True
        """
        return self._seconds

    def as_dict(self):
        r"""
        Return the result as a dictionary of plain Python values (for JSON).

        EXAMPLES::

            sage: from sage_conslaws import ReLUNetwork
            sage: d = ReLUNetwork([1, 1, 1]).conservation_laws().as_dict()
            sage: d['parameters'], d['lie_dimension'], d['laws'], d['certified']
            (2, 1, 1, True)
            sage: d['known_laws']
            {'neuron 1.0': 'w1_0_0^2 - w2_0_0^2'}
            sage: d['certificate_kind'], d['proof'], d['why_not_certified'], d['notes']
            ('proven', 'known laws', None, [])

        ``certificate_kind`` is ``"proven"`` (``certified`` is then true, and
        ``proof`` names the rung of the ladder that proved it),
        ``"probabilistic"`` (``error_bound`` then bounds the probability that
        an incomplete frame passed the random verification) or ``"not
        verified"`` (no error bound); ``why_not_certified`` gives the reason,
        ``notes`` the primes changed and the attempts that failed; ``discover``
        whether no law written by hand was used::

            sage: from sage_conslaws import PolynomialMap
            sage: d = PolynomialMap(['8388593*x*y*z']).conservation_laws().as_dict()
            sage: d['laws'], d['certificate_kind'], d['notes']
            (2, 'proven', ['prime 8388593 divides a coefficient of the fields, used 8388587'])
        """
        error = self._certificate.error_bound()
        texts = self._law_texts()
        return {
            "model": repr(self._model),
            "parameters": int(self.parameters()),
            "lie_dimension": int(self.lie_dimension()),
            "laws": int(self.number_of_laws()),
            "certified": bool(self.is_certified()),
            "certificate_kind": self._certificate.kind(),
            "proof": self._certificate.proof(),
            "discover": bool(self._discover),
            "error_bound": None if error is None else float(error),
            "why_not_certified": self._certificate.failure(),
            "notes": self._certificate.notes(),
            "certificate": repr(self._certificate),
            "verdict": self.verdict(),
            "known_laws": dict(texts[:self._known]),
            # the laws after the known ones are those the engine discovered
            "polynomial_laws": [text for _, text in texts[self._known:]],
            "seconds": round(float(self._seconds), 3),
        }

    def report(self):
        r"""
        Return a readable multi-line report.

        EXAMPLES::

            sage: from sage_conslaws import LinearNetwork
            sage: print(LinearNetwork([1, 2, 1]).conservation_laws().report())  # random, the time varies
            LinearNetwork([1, 2, 1]) with 4 parameters
              dim Lie(W)            : 1
              laws                  : 3 independent conservation laws (certified)
              bounds                : 1 <= dim Lie(W) <= 1 (upper bound: 3 independent conservation laws verified by the structure of the network (symmetries of its layers))
              proof                 : known laws (proven)
              verdict               : the 3 known laws are all the laws
              independent laws      :
                W1 W1^T - W2^T W2 =
                [      w1_0_0^2 - w2_0_0^2 w1_0_0*w1_1_0 - w2_0_0*w2_0_1]
                [w1_0_0*w1_1_0 - w2_0_0*w2_0_1       w1_1_0^2 - w2_0_1^2]
              time                  : 0.01 s

        One law, and a count that is only probable::

            sage: print(LinearNetwork([1, 1, 1]).conservation_laws().report())
            LinearNetwork([1, 1, 1]) with 2 parameters
              dim Lie(W)            : 1
              laws                  : 1 independent conservation law (certified)
              bounds                : 1 <= dim Lie(W) <= 1 (upper bound: 1 independent conservation law verified by the structure of the network (symmetries of its layers))
              proof                 : known laws (proven)
            ...
            sage: from sage_conslaws import PolynomialMap
            sage: M = PolynomialMap(LinearNetwork([2, 3, 2]).reparametrization())
            sage: print(M.conservation_laws(budget=0).report())
            PolynomialMap with 12 parameters: [w1_0_0*w2_0_0 + ...]
              dim Lie(W)            : 6
              laws                  : 6 independent conservation laws (probabilistic)
              bounds                : 6 <= dim Lie(W) <= 12 (upper bound: the dimension of the space)
              proof                 : random verification (probabilistic)
              error bound           : dim Lie(W) = 6 unless the random verification missed an incomplete frame, probability <= 3.5e-18 (Schwartz-Zippel)
              why not certified     : no proven upper bound meets the lower bound; the closure was verified at random points instead
            ...
        """
        c = self._certificate
        lines = [repr(self._model),
                 f"  dim Lie(W)            : {self.lie_dimension()}",
                 f"  laws                  : "
                 f"{number_phrase(self.number_of_laws(), 'independent conservation law')} "
                 f"({self.status_label()})",
                 f"  bounds                : {c.lower_bound()} <= dim Lie(W) <= "
                 f"{c.upper_bound()} (upper bound: {c.upper_bound_reason()})"]
        if c.proof() is not None:
            lines.append(f"  proof                 : {c.proof()} ({c.kind()})")
        if c.status() == "probabilistic":
            lines.append(f"  error bound           : dim Lie(W) = {c.lower_bound()} unless the "
                         "random verification missed an incomplete frame, probability <= "
                         f"{float(c.error_bound()):.1e} (Schwartz-Zippel)")
        if not self.is_certified():
            lines.append(f"  why not certified     : {c.failure()}")
        lines += [f"  note                  : {note}" for note in c.notes()]
        lines += [f"  verdict               : {self.verdict()}",
                  "  independent laws      :"]
        lines += ["    " + line for line in self._law_lines()]
        lines.append(f"  time                  : {self._seconds:.2f} s")
        return "\n".join(lines)

    def _law_lines(self):
        try:
            matrices = self._model.law_matrices()
        except BeyondReach:  # polynomial matrices too large, or no ring: the laws one by one
            matrices = []
        if matrices and self._known == self._number_found():
            lines = []
            for name, M in matrices:
                lines.append(f"{name} =")
                lines += str(M).splitlines()
            if self._known < sum(M.nrows() * (M.nrows() + 1) // 2 for _, M in matrices):
                lines.append(f"({self._known} of these entries are independent)")
            return lines
        return [f"{name}: {text}" for name, text in self._law_texts()] or ["(none found)"]

    def _repr_(self):
        return (f"{self.parameters()} parameters, dim Lie(W) = {self.lie_dimension()}, "
                f"{number_phrase(self.number_of_laws(), 'independent conservation law')} "
                f"({self.status_label()}); {self.verdict()}")

    def _latex_(self):
        r"""
        Return the independent laws found, in LaTeX.

        Without a polynomial ring (beyond 32767 parameters), the laws as text.

        EXAMPLES::

            sage: from sage_conslaws import ReLUNetwork
            sage: latex(ReLUNetwork([1, 1, 1]).conservation_laws())
            \begin{array}{l} \mathit{w1}_{0_{0}}^{2} - \mathit{w2}_{0_{0}}^{2} \end{array}
        """
        try:
            lines = [latex(h) for _, h in self.laws()]
        except BeyondReach:
            lines = [r"\texttt{%s}" % text.replace("_", r"\_") for _, text in self._law_texts()]
        return r"\begin{array}{l} " + r" \\ ".join(lines) + r" \end{array}"


def number_phrase(n, noun="law"):
    r"""
    Return ``n`` followed by ``noun``, in the plural unless ``n`` is 1.

    EXAMPLES::

        sage: from sage_conslaws.laws.result import number_phrase
        sage: number_phrase(1), number_phrase(3, "known law")
        ('1 law', '3 known laws')
    """
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def _are(n):
    return "is" if n == 1 else "are"
