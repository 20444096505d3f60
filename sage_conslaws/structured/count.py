r"""
The count of the structured path: known laws proven by the structure, the rank by random brackets

For a model with a :meth:`~sage_conslaws.models.base.Model.structured_family`
whose known laws the structure proves
(:func:`~sage_conslaws.structured.laws.structural_laws`), the `N` laws
independent at the point give `\dim \mathrm{Lie}(W) \le D - N`, and the rank of
random brackets modulo `p` (:func:`~sage_conslaws.structured.closure.structured_closure`)
a lower bound; when they meet, the count is proven with no polynomial per
component of `\phi`. Otherwise the general path takes over
(:func:`~sage_conslaws.laws.count.count_conservation_laws`).
"""
from sage.arith.misc import previous_prime

from sage_conslaws.closure.certificate import (PROOF_DIMENSION, PROOF_KNOWN, Certificate,
                                               laws_upper_bound)
from sage_conslaws.fields.evaluation import ModularPoint, derived_seed
from sage_conslaws.interface.progress import Progress
from sage_conslaws.laws.result import number_phrase
from sage_conslaws.limits import BeyondReach, check_structured_batch
from sage_conslaws.structured.closure import EXTRA_SAMPLES, structured_closure
from sage_conslaws.structured.laws import momentum_structural_laws, structural_laws
from sage_conslaws.structured.modular import MAX_PRIME

#: How the upper bound of a structured count is proven.
STRUCTURE_REASON = "verified by the structure of the network (symmetries of its layers)"


def structured_count(model, seed, prime, attempts, progress):
    r"""
    Return ``(closure, certificate, laws)`` proven by the structured path, or ``None``.

    ``None`` when the model has no structured family, when a known law is
    not proven by the structure, or when no attempt's rank meets `D - N`,
    `N` the number of known laws independent at a point.

    EXAMPLES::

        sage: from sage_conslaws import ReLUNetwork
        sage: from sage_conslaws.structured.count import structured_count
        sage: closure, certificate, laws = structured_count(ReLUNetwork([3, 4, 2], bias=True), 0,
        ....:                                               8388593, 3, None)
        sage: closure.rank(), len(laws), certificate.is_certified()
        (20, 4, True)
        sage: certificate.upper_bound_reason()
        '4 independent conservation laws verified by the structure of the network (symmetries of its layers)'

    TESTS::

        sage: from sage_conslaws import MLP
        sage: structured_count(MLP([1, 2, 1], "repu2"), 0, 8388593, 3, None) is None
        True

    A prime beyond the arithmetic of the structured path leaves the count to the general path::

        sage: structured_count(ReLUNetwork([3, 4, 2]), 0, 2**31 - 1, 3, None) is None
        True
        sage: ReLUNetwork([3, 4, 2]).conservation_laws(prime=2**31 - 1).number_of_laws()
        4
    """
    family = model.structured_family()
    if family is None or not 2 <= prime < MAX_PRIME:  # its arithmetic needs p < 2^23
        return None
    D = model.dimension()
    _check_closure_reach(model, family)
    point = ModularPoint(D, seed=derived_seed("laws", seed), prime=prime)
    progress = progress or Progress(enabled=False)
    progress.update("proving the known laws by the structure")
    try:
        laws, how = _upper_bound(model, point)
    except BeyondReach:  # the known laws are too large to build: no path can use them
        raise
    except (ValueError, ZeroDivisionError):  # a law not of the structure; p divides a coefficient
        return None
    upper = D - len(laws)
    reason = (f"{number_phrase(len(laws), 'independent conservation law')} {how}"
              if laws else "the dimension of the space")
    # one closure: a rank below D - N mostly means laws the model does not know, which
    # another prime would not change; the general path then decides
    notes = []
    for attempt in range(attempts):
        try:
            closure = structured_closure(family, target=upper, seed=seed, prime=prime,
                                         progress=progress)
        except ZeroDivisionError as error:  # the prime divides a slope of an activation
            if prime == 2:
                return None
            notes.append(f"{error}: used the prime below")
            prime = previous_prime(prime)
            continue
        if closure.rank() < upper:
            return None
        certificate = Certificate(upper, upper, reason, closure.point(), notes=notes,
                                  proof=PROOF_KNOWN if laws else PROOF_DIMENSION)
        return closure, certificate, laws
    return None


def _check_closure_reach(model, family):
    r"""
    Raise :class:`~sage_conslaws.limits.BeyondReach` before the laws are proven if the closure could not hold its first batch.

    That batch has at least `D - N + 2` brackets, `N` bounded from the widths
    of a layered network (:meth:`~sage_conslaws.models.layer_laws.LayerLaws.independent_laws_bound`).

    TESTS::

        sage: from sage_conslaws import LinearNetwork
        sage: LinearNetwork([200, 200, 200]).conservation_laws()
        Traceback (most recent call last):
        ...
        BeyondReach: the values of 59902 brackets on R^80000 have 4792160000 entries, beyond reach: the structured path holds them as a dense matrix over GF(p), 8 bytes an entry, about four times (at most 250000000 entries)
    """
    from sage_conslaws.models.layered import LayeredNetwork
    if isinstance(model, LayeredNetwork):
        D = model.dimension()
        check_structured_batch(D, 1, D - min(D, model.independent_laws_bound()) + EXTRA_SAMPLES,
                               family.work())


def _upper_bound(model, point):
    r"""
    Return the known laws of ``model`` proven and independent at ``point``, and how they are proven.

    A layered network's laws, and those of its Euclidean momentum flows, are
    proven by its structure (the network's as quadratic forms, with no
    polynomial ring); another model's (or a momentum law that couples
    layers) by the symbolic check of the general path, which needs the
    polynomial fields but no closure.
    """
    from sage_conslaws.dynamics.phase_space import MomentumFlow
    from sage_conslaws.models.layered import LayeredNetwork
    coordinates, prime = point.integer_coordinates(), point.prime()
    if isinstance(model, LayeredNetwork):
        return structural_laws(model, coordinates, prime), STRUCTURE_REASON
    if isinstance(model, MomentumFlow) and isinstance(model.base_model(), LayeredNetwork):
        try:
            return momentum_structural_laws(model, coordinates, prime)[1], STRUCTURE_REASON
        except ValueError:
            pass
    laws = laws_upper_bound(list(model.known_laws()), model.fields(), point)
    return laws, "verified symbolically"
