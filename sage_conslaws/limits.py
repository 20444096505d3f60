r"""
Bounded resources: sizes computed before anything is allocated

The exact engine holds polynomials in Singular, where every term stores all
`D` exponents, and dense matrices over `\GF{p}` and `\QQ`; their sizes grow
like products of the layer widths. Each function here computes a size
arithmetically (from the widths, or from counts of what is already built)
and raises :class:`BeyondReach`, a ``ValueError``, in one line naming what
was counted, the limit and why, *before* the allocation: a large input is
refused at once instead of running for minutes and exhausting the memory.

The limits are measured on a 2-core, 24 GiB machine (shared with other work:
load about 3 during the measurements), each at about one minute or a few GB;
the comment beside each constant gives the measurements (input, time, peak
resident memory from ``/usr/bin/time -v``). A measurement that "fails at 4 GB"
ran under ``ulimit -v 4000000``.

EXAMPLES::

    sage: from sage_conslaws.limits import check_parameters, number_of_parameters
    sage: number_of_parameters([3, 4, 2], bias=True)
    24
    sage: check_parameters("ReLUNetwork([100000000, 2])", number_of_parameters([100000000, 2]))
    Traceback (most recent call last):
    ...
    BeyondReach: ReLUNetwork([100000000, 2]) has 200000000 parameters, beyond reach: every parameter is a variable of a Singular polynomial ring (at most 32767 parameters)

A refusal is a ``ValueError``, so the command line reports it in one line::

    sage: from sage_conslaws.limits import BeyondReach
    sage: issubclass(BeyondReach, ValueError)
    True
"""
from math import comb

# ----------------------------------------------------------------------------
# The limits, with the measurements that set them
# ----------------------------------------------------------------------------

#: The most parameters of a model: each is a variable of a Singular polynomial
#: ring, and Singular has at most 32767 variables (beyond, it stops the process).
#: Within it the ring is cheap (32766 variables: 0.04 s, 188 MB peak, the process
#: alone taking 180 MB), its generators less so (2.2 s, 2.2 GB: 65 kB each). Before
#: the count was arithmetic, ``count relu 100000000,2`` built 2e8 names first:
#: MemoryError at 4 GB after 20 s.
MAX_PARAMETERS = 32767

#: Bytes of a polynomial term in Singular, fitted on ``phi`` and its gradient
#: fields (resident memory divided by the terms held, ``D`` the number of variables):
#: ``relu 2,...,2`` (15 widths, D = 56) 295 B; ``relu 3,...,3`` (9 widths, D = 72)
#: 355 B; ``relu 10,10,10,10`` (D = 300) 1104 B; ``relu 20,20,20`` (D = 800) 3117 B;
#: ``linear 30,30,30`` (D = 1800) 5650 B; ``relu 50,50,10`` (D = 3000) 11575 B.
#: :func:`term_bytes` is ``TERM_BYTES + EXPONENT_BYTES * D``, above all six.
TERM_BYTES = 200

#: See :data:`TERM_BYTES`.
EXPONENT_BYTES = 4

#: The most memory that the polynomials of one step may take: ``phi`` and its
#: gradient fields (:func:`reparametrization_bytes`, estimated before ``phi`` is
#: built), or the known laws of a model (:func:`check_known_laws`). Measured:
#: ``linear 40,40,40`` (estimate 2.5 GB): phi and fields 14.6 s, 2.2 GB; the count
#: then needs 3.7 GB and 90 s before its Lie closure. ``linear 50,50,50``
#: (estimate 7.6 GB): phi alone 18 s, 1.7 GB; the count passed 8 GB.
#: ``relu 3,3,3,3,3,3,3,3,3,3,3,3`` (estimate 3.8 GB): Singular stops the process,
#: "no more memory", at 4 GB after 29 s. ``linear 30,30,30`` (estimate 0.6 GB):
#: phi and fields 2.8 s, 0.6 GB. Known laws: ``ReLUNetwork([100, 100, 100])``
#: (estimate 1.6 GB) 10 s, 1.6 GB; ``ReLUNetwork([100, 100, 100, 100])`` (4.8 GB)
#: Singular stops the process at 4 GB after 8 s.
MAX_POLYNOMIAL_BYTES = 2 * 10**9

#: The most entries of the dense matrices over `\GF{p}` of one step of the engine
#: (8 bytes an entry, and ranks in time about rows x columns x rank). Measured:
#: ``count relu 30,30,30`` (27000 fields x 1800 parameters at a point: 4.9e7
#: entries) 27 s, 1.4 GB; ``count relu 35,35,35`` (1.05e8 entries) 79 s, 3.1 GB.
#: A first bracket level (2 x generators x new fields x D, see
#: :func:`check_bracket_level`): ``linear 15,15,15`` (4.6e7) 32 s, 0.6 GB;
#: ``nmf 20,10,20`` entropic (7.2e7) 39 s, 0.8 GB; ``relu 16,16,16`` without its
#: known laws (2.5e8) 163 s, 2.2 GB; ``linear 20,20,20`` (2.6e8) MemoryError at
#: 4 GB after 4 min.
MAX_DENSE_ENTRIES = 10**8

#: The most entries of the dense Jacobians over `\QQ` that one random point of
#: :func:`~sage_conslaws.closure.verification.verify_closure` forms (one `D \times D` per
#: frame field and per generator of the frame). Measured at one point:
#: ``relu 12,12,12`` (552 Jacobians of 288 x 288: 4.6e7) 37 s; ``relu 16,16,16``
#: (992 of 512 x 512: 2.6e8) 156 s.
MAX_VERIFICATION_ENTRIES = 5 * 10**7

#: The most products of rational functions of the gradient fields under a metric
#: (`M^{-1}` as a dense `D \times D` matrix, times each gradient):
#: (fields + 1) x `D^2`. Measured: ``nmf 20,10,20`` entropic (400 fields, D = 400:
#: 6.4e7) 4.7 s; ``NMF(30, 15, 30)``, 100 fields (D = 900: 8.2e7) 5.2 s, 0.2 GB.
MAX_METRIC_PRODUCTS = 10**9

#: The most unknowns (monomials) of one linear system of the search of polynomial
#: laws; its rank modulo `p` grows about as the cube. Measured (homogeneous
#: degree, rank only): ``relu 3,4,2`` degree 3 (1540 unknowns) 7.1 s, 0.2 GB;
#: ``relu 4,4,2`` degree 3 (2600) 38.5 s, 0.2 GB; ``relu 3,4,2`` degree 4 (8855)
#: killed after 400 s.
MAX_LAW_UNKNOWNS = 3000

#: The most non-zero coefficients of the system of the search of polynomial laws,
#: bounded by :func:`law_system_size`: the dictionaries that build it take
#: 450 bytes a coefficient and the sparse matrix 234 more (measured on 10^6
#: coefficients: 0.7 GB).
MAX_LAW_NONZEROS = 2 * 10**6

#: The most entries (rows x columns) of a sparse linear system over `\QQ` whose
#: exact kernel is computed: Sage fills it in densely, about 100 bytes an entry.
#: Measured, laws: ``relu 2,3,2`` degree 4 (7800 x 1365 = 1.1e7) kernel 5.5 s,
#: +1.05 GB; ``linear 2,2,2`` degree 6 (6528 x 1716 = 1.1e7) 16.4 s, +1.2 GB;
#: ``relu 2,2,5`` degree 4 (20300 x 2380 = 4.8e7) MemoryError at 4 GB after 51 s.
#: Symmetries: `x_1^2 + \cdots + x_{60}^2` (1770 x 3540 = 6.3e6) 8.6 s, 0.8 GB;
#: the same with 100 variables (4950 x 9900 = 4.9e7) MemoryError at 4 GB after 13 s.
MAX_KERNEL_ENTRIES = 2 * 10**7

#: The most unknowns `A_{kl}` of the linear symmetries after pruning (see
#: :func:`~sage_conslaws.symmetries.solve.linear_symmetries`). Measured, with the
#: equations kept once, the repeated systems of the components solved once and the
#: kernels of the algebra on its distinct columns: ``LinearNetwork([5, 10, 10, 5])``
#: (21000 unknowns, algebra of dimension 200) 5.6 s, 0.2 GB; ``LinearNetwork([20, 20,
#: 20])`` (16000, dimension 400) 9.7 s, 0.4 GB (38 s before); ``LinearNetwork([30, 30,
#: 30])`` (54000, dimension 900) 44 s, 1.6 GB (FLINT failed to allocate at 4 GB before).
MAX_SYMMETRY_UNKNOWNS = 60000

#: The most coefficients of the equations of the linear symmetries. Measured:
#: ``relu 9,9,7,7,7 --bias`` (1.2e5) 4.7 s, 0.4 GB; ``linear 30,30,30`` (1.6e6):
#: equations and their solution 30 s, 0.9 GB.
MAX_SYMMETRY_COEFFICIENTS = 2 * 10**6

#: The most rows of the sparse `D \times D` products that the derived algebra of
#: the linear symmetries takes: `n(n-1)/2` commutators `AB - BA` of a basis of
#: dimension `n`, times `D`. Measured with products of sparse rows
#: (``symmetries.algebra._commutator``): ``linear 4,10,10,4`` (19900 commutators on
#: R^200: 4.0e6 rows) 0.65 s with the rank of the commutators; ``linear 10,10,10``
#: (9.9e5 rows), the whole command 2.2 s. (As Sage sparse matrices over QQ it was
#: 87 s for ``linear 10,10,10``.)
MAX_COMMUTATOR_ROWS = 10**7


class BeyondReach(ValueError):
    r"""
    The error of an input too large for the exact engine.

    It is a ``ValueError`` (the command line prints it in one line, exit
    status 2); callers that can do without the exact computation (a training
    run tracks the known laws instead) catch this class only.

    EXAMPLES::

        sage: from sage_conslaws.limits import check_size
        sage: check_size(5, 4, "the input has", "parts", "it is a test")
        Traceback (most recent call last):
        ...
        BeyondReach: the input has 5 parts, beyond reach: it is a test (at most 4 parts)
    """


def check_size(count, limit, subject, unit, why):
    r"""
    Raise :class:`BeyondReach` if ``count`` exceeds ``limit``.

    The message is "``subject`` ``count`` ``unit``, beyond reach: ``why``
    (at most ``limit`` ``unit``)".

    INPUT:

    - ``count``, ``limit`` -- integers
    - ``subject`` -- what has ``count`` (e.g. ``"NMF(2, 3, 4) has"``)
    - ``unit`` -- what is counted, in the plural
    - ``why`` -- why the limit is there

    EXAMPLES::

        sage: from sage_conslaws.limits import check_size
        sage: check_size(4, 4, "the input has", "parts", "it is a test")
        sage: check_size(10**9, 4, "the input has", "parts", "it is a test")
        Traceback (most recent call last):
        ...
        BeyondReach: the input has 1000000000 parts, beyond reach: it is a test (at most 4 parts)
    """
    if count > limit:
        raise BeyondReach(f"{subject} {count} {unit}, beyond reach: {why} (at most {limit} {unit})")


# ----------------------------------------------------------------------------
# Models: parameters and the size of phi
# ----------------------------------------------------------------------------

def number_of_parameters(widths, bias=False, beta_layers=()):
    r"""
    Return the number of parameters of a network, without building their names.

    It is the length of :func:`~sage_conslaws.models.widths.weight_names`.

    INPUT:

    - ``widths`` -- the layer widths from input to output
    - ``bias`` -- (default: ``False``) whether hidden neurons have biases
    - ``beta_layers`` -- (default: none) the hidden layers with a trainable slope per neuron

    EXAMPLES::

        sage: from sage_conslaws.limits import number_of_parameters
        sage: from sage_conslaws.models.widths import weight_names
        sage: number_of_parameters([1, 2, 1], bias=True, beta_layers=[1])
        8
        sage: len(weight_names([1, 2, 1], bias=True, beta_layers=[1]))
        8
    """
    weights = sum(n_in * n_out for n_in, n_out in zip(widths, widths[1:]))
    hidden = widths[1:-1]
    return (weights + (sum(hidden) if bias else 0)
            + sum(widths[l] for l in range(1, len(widths)) if l in beta_layers))


def check_parameters(description, count):
    r"""
    Raise :class:`BeyondReach` if a model has more than :data:`MAX_PARAMETERS` parameters.

    Call it before the names of the parameters are built.

    INPUT:

    - ``description`` -- the model, as it prints itself (e.g. ``"NMF(2, 3, 4)"``)
    - ``count`` -- its number of parameters

    EXAMPLES::

        sage: from sage_conslaws.limits import check_parameters
        sage: check_parameters("NMF(2, 3, 4)", 18)
        sage: check_parameters("NMF(100000, 1, 100000)", 200000)
        Traceback (most recent call last):
        ...
        BeyondReach: NMF(100000, 1, 100000) has 200000 parameters, beyond reach: every parameter is a variable of a Singular polynomial ring (at most 32767 parameters)
    """
    check_size(count, MAX_PARAMETERS, f"{description} has", "parameters",
               "every parameter is a variable of a Singular polynomial ring")


#: The most parameters of a layered network built without a polynomial ring (beyond
#: :data:`MAX_PARAMETERS`): its parameter positions are dictionaries of about 200 bytes
#: an entry. Measured: ``ReLUNetwork([784, 1024, 1024, 10], bias=True)`` (1,863,680
#: parameters) builds in 1.4 s and its 2048 laws as forms in 2.1 s, 0.7 GB in all.
MAX_RING_FREE_PARAMETERS = 5 * 10**6

#: The most entries of the quadratic forms of the known laws of a layered network
#: (:meth:`~sage_conslaws.models.layer_laws.LayerLaws.law_forms`): a dictionary entry
#: takes about 150 bytes, so 1.5 GB (the 3.7 million entries of the network above: 2.1 s).
MAX_LAW_FORM_ENTRIES = 10**7


def check_ring_free_parameters(description, count):
    r"""
    Raise :class:`BeyondReach` if a layered network has more than :data:`MAX_RING_FREE_PARAMETERS` parameters.

    EXAMPLES::

        sage: from sage_conslaws.limits import check_ring_free_parameters
        sage: check_ring_free_parameters("ReLUNetwork([1000, 1000, 10])", 1010000)
        sage: check_ring_free_parameters("ReLUNetwork([10000, 1000, 10])", 10010000)
        Traceback (most recent call last):
        ...
        BeyondReach: ReLUNetwork([10000, 1000, 10]) has 10010000 parameters, beyond reach: the positions of the parameters are held in memory (at most 5000000 parameters)
    """
    check_size(count, MAX_RING_FREE_PARAMETERS, f"{description} has", "parameters",
               "the positions of the parameters are held in memory")


def check_law_forms(description, entries):
    r"""
    Raise :class:`BeyondReach` if the quadratic forms of the known laws of a model have more than :data:`MAX_LAW_FORM_ENTRIES` entries.

    EXAMPLES::

        sage: from sage_conslaws.limits import check_law_forms
        sage: check_law_forms("ReLUNetwork([784, 1024, 10])", 813056)
        sage: check_law_forms("LinearNetwork([1000, 1000, 1000])", 1001000000)
        Traceback (most recent call last):
        ...
        BeyondReach: LinearNetwork([1000, 1000, 1000]): the forms of its known laws have 1001000000 entries, beyond reach: each entry is held in memory (at most 10000000 entries)
    """
    check_size(entries, MAX_LAW_FORM_ENTRIES,
               f"{description}: the forms of its known laws have", "entries",
               "each entry is held in memory")


def term_bytes(variables):
    r"""
    Return the estimated memory of one polynomial term in ``variables`` variables, in bytes.

    See :data:`TERM_BYTES` for the measurements.

    EXAMPLES::

        sage: from sage_conslaws.limits import term_bytes
        sage: term_bytes(1800)
        7400
    """
    return TERM_BYTES + EXPONENT_BYTES * variables


def reparametrization_bytes(terms, degree, variables):
    r"""
    Return the estimated memory of `\phi` and of its gradient fields, in bytes.

    A term of degree ``degree`` has at most ``degree`` partial derivatives, one
    term each: the engine holds at most ``terms * (degree + 1)`` terms.

    INPUT:

    - ``terms`` -- (an upper bound on) the number of terms of `\phi`
    - ``degree`` -- (an upper bound on) their degree
    - ``variables`` -- the number of variables of their ring

    EXAMPLES:

    The linear network ``[50, 50, 50]``: 125000 terms of degree 2 in 5000 variables::

        sage: from sage_conslaws.limits import reparametrization_bytes
        sage: reparametrization_bytes(125000, 2, 5000)
        7575000000
    """
    return terms * (degree + 1) * term_bytes(variables)


def check_reparametrization(description, terms, degree, components, parameters,
                            variables=None):
    r"""
    Raise :class:`BeyondReach` if `\phi` is too large for the exact engine.

    Two sizes are checked, before `\phi` is built: the memory of `\phi` and
    of its gradient fields (:func:`reparametrization_bytes`, at most
    :data:`MAX_POLYNOMIAL_BYTES`), and the dense matrix of the values of the
    ``components`` gradient fields at a point (at most :data:`MAX_DENSE_ENTRIES`).

    INPUT:

    - ``description`` -- the model, as it prints itself
    - ``terms``, ``degree`` -- (upper bounds on) the number of terms of `\phi` and their degree
    - ``components`` -- (an upper bound on) the number of coordinates of `\phi`
    - ``parameters`` -- the number `D` of parameters
    - ``variables`` -- (default: ``parameters``) the number of variables of
      the ring where `\phi` is computed, when it is expanded in a larger ring

    EXAMPLES::

        sage: from sage_conslaws.limits import check_reparametrization
        sage: check_reparametrization("LinearNetwork([3, 4, 2])", 24, 2, 6, 20)
        sage: check_reparametrization("LinearNetwork([50, 50, 50])", 125000, 2, 2500, 5000)
        Traceback (most recent call last):
        ...
        BeyondReach: LinearNetwork([50, 50, 50]): phi has up to 125000 terms of degree 2 in 5000 variables; with its gradient it takes about 7575 MB, beyond reach: Singular stores all exponents of every term (at most 2000 MB)
        sage: check_reparametrization("ReLUNetwork([35, 35, 35])", 42875, 2, 42875, 2450)
        Traceback (most recent call last):
        ...
        BeyondReach: ReLUNetwork([35, 35, 35]): the values of its 42875 gradient fields at a point: a dense 42875 x 2450 matrix with 105043750 entries, beyond reach: a dense matrix over GF(p) takes 8 bytes an entry, and its rank minutes beyond the limit (at most 100000000 entries)
    """
    variables = parameters if variables is None else variables
    megabytes = reparametrization_bytes(terms, degree, variables) // 10**6
    check_size(megabytes, MAX_POLYNOMIAL_BYTES // 10**6,
               f"{description}: phi has up to {terms} terms of degree {degree} in {variables} "
               "variables; with its gradient it takes about", "MB",
               "Singular stores all exponents of every term")
    check_dense(components, parameters,
                f"{description}: the values of its {components} gradient fields at a point")


def check_known_laws(description, terms, parameters):
    r"""
    Raise :class:`BeyondReach` if the known laws of a model are too large to build.

    Call it before the laws are built, with the number of their terms
    counted from the widths (see :data:`MAX_POLYNOMIAL_BYTES`).

    INPUT:

    - ``description`` -- the model, as it prints itself
    - ``terms`` -- (an upper bound on) the number of terms of its known laws
      (and of the polynomials that build them)
    - ``parameters`` -- the number `D` of parameters

    EXAMPLES::

        sage: from sage_conslaws.limits import check_known_laws
        sage: check_known_laws("ReLUNetwork([100, 100, 100])", 20000, 20000)
        sage: check_known_laws("ReLUNetwork([100, 100, 100, 100])", 40000, 30000)
        Traceback (most recent call last):
        ...
        BeyondReach: ReLUNetwork([100, 100, 100, 100]): its known laws have up to 40000 terms in 30000 variables, about 4808 MB, beyond reach: Singular stores all exponents of every term (at most 2000 MB)
    """
    check_size(terms * term_bytes(parameters) // 10**6, MAX_POLYNOMIAL_BYTES // 10**6,
               f"{description}: its known laws have up to {terms} terms in {parameters} "
               "variables, about", "MB", "Singular stores all exponents of every term")


# ----------------------------------------------------------------------------
# Dense matrices of the engine
# ----------------------------------------------------------------------------

def check_dense(rows, columns, what):
    r"""
    Raise :class:`BeyondReach` if a dense ``rows x columns`` matrix over `\GF{p}` is too large.

    INPUT:

    - ``rows``, ``columns`` -- the size of the matrix
    - ``what`` -- what the matrix holds

    EXAMPLES::

        sage: from sage_conslaws.limits import check_dense
        sage: check_dense(1000, 1000, "the values of 1000 fields")
        sage: check_dense(20000, 20000, "the Jacobian of a field")
        Traceback (most recent call last):
        ...
        BeyondReach: the Jacobian of a field: a dense 20000 x 20000 matrix with 400000000 entries, beyond reach: a dense matrix over GF(p) takes 8 bytes an entry, and its rank minutes beyond the limit (at most 100000000 entries)
    """
    check_dense_entries(rows * columns, f"{what}: a dense {rows} x {columns} matrix with")


def check_dense_entries(entries, subject):
    r"""
    Raise :class:`BeyondReach` if dense matrices over `\GF{p}` with ``entries`` entries in all are too large.

    INPUT:

    - ``entries`` -- the number of entries
    - ``subject`` -- what has them (``"... has"``, ``"... with"``)

    EXAMPLES::

        sage: from sage_conslaws.limits import check_dense_entries
        sage: check_dense_entries(10**9, "the images have")
        Traceback (most recent call last):
        ...
        BeyondReach: the images have 1000000000 entries, beyond reach: a dense matrix over GF(p) takes 8 bytes an entry, and its rank minutes beyond the limit (at most 100000000 entries)
    """
    check_size(entries, MAX_DENSE_ENTRIES, subject, "entries",
               "a dense matrix over GF(p) takes 8 bytes an entry, and its rank "
               "minutes beyond the limit")


def bracket_level_entries(generators, new, dimension):
    r"""
    Return the entries of the dense matrices of one bracket level of the Lie closure.

    The level forms, for each of the ``new`` fields and each of the
    ``generators``, the values `\partial X(\theta) g(\theta)` and
    `\partial g(\theta) X(\theta)` (two ``generators x dimension`` or
    ``new x dimension`` matrices per field), from one `D \times D` Jacobian at
    a time.

    EXAMPLES:

    The first level of the linear network ``[50, 50, 50]``: 2500 generators, all new::

        sage: from sage_conslaws.limits import bracket_level_entries
        sage: bracket_level_entries(2500, 2500, 5000)
        62525000000
    """
    return 2 * generators * new * dimension + dimension * dimension


def check_bracket_level(generators, new, dimension, depth):
    r"""
    Raise :class:`BeyondReach` if bracket level ``depth`` of the Lie closure is too large.

    See :func:`bracket_level_entries`.

    EXAMPLES::

        sage: from sage_conslaws.limits import check_bracket_level
        sage: check_bracket_level(100, 100, 200, 1)
        sage: check_bracket_level(2500, 2500, 5000, 1)
        Traceback (most recent call last):
        ...
        BeyondReach: bracket level 1 of the Lie closure (2500 generators, 2500 new fields, on R^5000) has 62525000000 entries, beyond reach: a dense matrix over GF(p) takes 8 bytes an entry, and its rank minutes beyond the limit (at most 100000000 entries)
    """
    check_dense_entries(bracket_level_entries(generators, new, dimension),
                        f"bracket level {depth} of the Lie closure ({generators} generators, "
                        f"{new} new fields, on R^{dimension}) has")


def check_verification(jacobians, dimension):
    r"""
    Raise :class:`BeyondReach` if the Jacobians over `\QQ` of one verification point are too many.

    See :data:`MAX_VERIFICATION_ENTRIES`.

    INPUT:

    - ``jacobians`` -- the number of `D \times D` Jacobians formed at the point
    - ``dimension`` -- `D`

    EXAMPLES::

        sage: from sage_conslaws.limits import check_verification
        sage: check_verification(552, 288)
        sage: check_verification(992, 512)
        Traceback (most recent call last):
        ...
        BeyondReach: the verification of the closure at a random point forms 992 Jacobians of size 512 x 512 over QQ: 260046848 entries, beyond reach: each takes microseconds in exact rational arithmetic (at most 50000000 entries)
    """
    check_size(jacobians * dimension * dimension, MAX_VERIFICATION_ENTRIES,
               f"the verification of the closure at a random point forms {jacobians} Jacobians "
               f"of size {dimension} x {dimension} over QQ:", "entries",
               "each takes microseconds in exact rational arithmetic")


def check_metric_products(fields, dimension):
    r"""
    Raise :class:`BeyondReach` if the gradient fields under a metric take too many products.

    Each of the ``fields`` gradients is multiplied by the dense `D \times D`
    inverse metric over the fraction field: (``fields`` + 1) `D^2` products of
    rational functions (see :data:`MAX_METRIC_PRODUCTS`).

    EXAMPLES::

        sage: from sage_conslaws.limits import check_metric_products
        sage: check_metric_products(400, 400)
        sage: check_metric_products(1600, 1600)
        Traceback (most recent call last):
        ...
        BeyondReach: the 1600 gradient fields under a metric on R^1600 take 4098560000 products, beyond reach: each multiplies rational functions of the parameters (at most 1000000000 products)
    """
    check_size((fields + 1) * dimension * dimension, MAX_METRIC_PRODUCTS,
               f"the {fields} gradient fields under a metric on R^{dimension} take", "products",
               "each multiplies rational functions of the parameters")


# ----------------------------------------------------------------------------
# Linear systems over QQ: polynomial laws and linear symmetries
# ----------------------------------------------------------------------------

def law_system_size(dimension, degrees, field_terms):
    r"""
    Return the number of unknowns and a bound on the non-zero coefficients of a search of polynomial laws.

    The unknowns are the monomials of the ``degrees`` in ``dimension``
    variables. A monomial of degree `a` contains the variable `x_k` in
    `\binom{D + a - 2}{a - 1}` monomials, so the images `w(\mu) = \sum_k w_k
    \partial_k\mu` of all of them have at most ``field_terms`` times that
    many terms, ``field_terms`` being the number of terms of all components
    of all fields.

    INPUT:

    - ``dimension`` -- the number `D` of variables
    - ``degrees`` -- the degrees solved together
    - ``field_terms`` -- the number of terms of all components of all fields

    OUTPUT: a pair ``(unknowns, nonzeros)``

    EXAMPLES:

    The network ``ReLUNetwork([3, 4, 2])`` (24 fields with 2 one-term components each) at degree 4::

        sage: from sage_conslaws.limits import law_system_size
        sage: law_system_size(20, [4], 48)
        (8855, 73920)
    """
    unknowns = sum(comb(dimension + a - 1, a) for a in degrees)
    nonzeros = field_terms * sum(comb(dimension + a - 2, a - 1) for a in degrees)
    return unknowns, nonzeros


def check_law_search(dimension, degrees, field_terms):
    r"""
    Raise :class:`BeyondReach` if a system of the search of polynomial laws is too large.

    See :func:`law_system_size`, :data:`MAX_LAW_UNKNOWNS` and :data:`MAX_LAW_NONZEROS`.

    EXAMPLES::

        sage: from sage_conslaws.limits import check_law_search
        sage: check_law_search(20, [3], 48)
        sage: check_law_search(20, [4], 48)
        Traceback (most recent call last):
        ...
        BeyondReach: the polynomial laws of degree 4 on R^20 have 8855 unknowns, beyond reach: the rank of their linear system takes minutes beyond the limit (at most 3000 unknowns)
    """
    unknowns, nonzeros = law_system_size(dimension, degrees, field_terms)
    what = (f"the polynomial laws of degree {degrees[0]}" if len(degrees) == 1 else
            f"the polynomial laws of degrees {min(degrees)} to {max(degrees)}")
    check_size(unknowns, MAX_LAW_UNKNOWNS, f"{what} on R^{dimension} have", "unknowns",
               "the rank of their linear system takes minutes beyond the limit")
    check_size(nonzeros, MAX_LAW_NONZEROS, f"the linear system of {what} has up to",
               "coefficients", "each takes about 700 bytes while the system is built")


def check_kernel(rows, columns, what):
    r"""
    Raise :class:`BeyondReach` if the exact kernel of a ``rows x columns`` sparse system over `\QQ` is too costly.

    See :data:`MAX_KERNEL_ENTRIES`.

    EXAMPLES::

        sage: from sage_conslaws.limits import check_kernel
        sage: check_kernel(7800, 1365, "the laws of degree 4")
        sage: check_kernel(20300, 2380, "the laws of degree 4")
        Traceback (most recent call last):
        ...
        BeyondReach: the exact kernel of the laws of degree 4, a 20300 x 2380 system over QQ, has 48314000 entries, beyond reach: Sage fills it in densely, about 100 bytes an entry (at most 20000000 entries)
    """
    check_size(rows * columns, MAX_KERNEL_ENTRIES,
               f"the exact kernel of {what}, a {rows} x {columns} system over QQ, has", "entries",
               "Sage fills it in densely, about 100 bytes an entry")


def check_commutators(dimension, parameters):
    r"""
    Raise :class:`BeyondReach` if the commutators of a Lie algebra of matrices are too many.

    INPUT:

    - ``dimension`` -- the dimension `n` of the algebra (`n(n-1)/2` commutators)
    - ``parameters`` -- the size `D` of its `D \times D` matrices

    See :data:`MAX_COMMUTATOR_ROWS`.

    EXAMPLES::

        sage: from sage_conslaws.limits import check_commutators
        sage: check_commutators(36, 72)
        sage: check_commutators(100, 200)
        sage: check_commutators(400, 800)
        Traceback (most recent call last):
        ...
        BeyondReach: the derived algebra takes 79800 commutators of sparse 800 x 800 matrices over QQ: 63840000 rows, beyond reach: the commutators and their rank over QQ take about a microsecond a row (at most 10000000 rows)
    """
    commutators = dimension * (dimension - 1) // 2
    check_size(commutators * parameters, MAX_COMMUTATOR_ROWS,
               f"the derived algebra takes {commutators} commutators of sparse {parameters} x "
               f"{parameters} matrices over QQ:", "rows",
               "the commutators and their rank over QQ take about a microsecond a row")


def check_symmetry_system(description, unknowns, coefficients):
    r"""
    Raise :class:`BeyondReach` if the linear system of the symmetries of a model is too large.

    See :data:`MAX_SYMMETRY_UNKNOWNS` and :data:`MAX_SYMMETRY_COEFFICIENTS`.

    EXAMPLES::

        sage: from sage_conslaws.limits import check_symmetry_system
        sage: check_symmetry_system("LinearNetwork([20, 20, 20])", 16000, 320000)
        sage: check_symmetry_system("LinearNetwork([30, 30, 30])", 54000, 1620000)
        sage: check_symmetry_system("LinearNetwork([40, 40, 40])", 128000, 5120000)
        Traceback (most recent call last):
        ...
        BeyondReach: the linear symmetries of LinearNetwork([40, 40, 40]) have 128000 unknowns, beyond reach: the exact solution and the algebra take minutes and GB beyond the limit (at most 60000 unknowns)
    """
    check_size(unknowns, MAX_SYMMETRY_UNKNOWNS, f"the linear symmetries of {description} have",
               "unknowns", "the exact solution and the algebra take minutes and GB beyond the limit")
    check_size(coefficients, MAX_SYMMETRY_COEFFICIENTS,
               f"the equations of the linear symmetries of {description} have", "coefficients",
               "they are solved exactly over QQ")


#: The most monomials of the discovery of laws of one degree
#: (:mod:`~sage_conslaws.laws.discovery`): they are enumerated, and sorted into
#: classes, in Python (about 1 µs and 100 bytes each).
MAX_SEARCH_MONOMIALS = 2 * 10**6

#: The most monomials of one class of the discovery of laws: its system is
#: a dense matrix over `\GF{p}` with a few more rows than columns, whose kernel
#: takes about the cube.
MAX_CLASS_UNKNOWNS = 4000


def check_search_monomials(dimension, degree, auxiliary=0, auxiliary_degree=0):
    r"""
    Raise :class:`BeyondReach` if the monomials of a degree of the discovery of laws are too many.

    They are the products of a monomial of degree at most ``degree`` in
    ``dimension`` variables and one of degree at most ``auxiliary_degree`` in
    ``auxiliary`` more, but the constant. See :data:`MAX_SEARCH_MONOMIALS`.

    EXAMPLES::

        sage: from sage_conslaws.limits import check_search_monomials
        sage: check_search_monomials(100, 3)
        sage: check_search_monomials(168, 2, 1, 4)
        sage: check_search_monomials(1000, 3)
        Traceback (most recent call last):
        ...
        BeyondReach: the laws of degree at most 3 in 1000 variables have 167668500 monomials, beyond reach: they are enumerated and sorted into classes in Python (at most 2000000 monomials)
    """
    from math import comb
    number = comb(dimension + degree, degree) * comb(auxiliary + auxiliary_degree,
                                                     auxiliary_degree) - 1
    where = f"{dimension} variables" + (f" (and degree {auxiliary_degree} in {auxiliary} more)"
                                        if auxiliary else "")
    check_size(number, MAX_SEARCH_MONOMIALS, f"the laws of degree at most {degree} in {where} have",
               "monomials", "they are enumerated and sorted into classes in Python")


def check_class_unknowns(unknowns, degree):
    r"""
    Raise :class:`BeyondReach` if a class of monomials of the discovery of laws is too large.

    See :data:`MAX_CLASS_UNKNOWNS`.

    EXAMPLES::

        sage: from sage_conslaws.limits import check_class_unknowns
        sage: check_class_unknowns(5000, 3)
        Traceback (most recent call last):
        ...
        BeyondReach: a class of the laws of degree 3 has 5000 unknowns, beyond reach: its dense system over GF(p) takes about the cube of them (at most 4000 unknowns)
    """
    check_size(unknowns, MAX_CLASS_UNKNOWNS, f"a class of the laws of degree {degree} has",
               "unknowns", "its dense system over GF(p) takes about the cube of them")


# ----------------------------------------------------------------------------
# The structured path
# ----------------------------------------------------------------------------

#: The most entries of the matrix of values of the structured path (rows x D):
#: 8 bytes each, held about four times at the peak (the numpy rows, their bytes,
#: the Sage matrix, LinBox's copy for the rank). Measured (benchmarks/scale.py):
#: ``relu 100,100,10 --bias``, 1.2 * 10^8 entries, 4.4 GB and 167 s;
#: ``relu 784,16,10 --bias``, 1.6 * 10^8 entries, 5.7 GB and 255 s; so 2.5 * 10^8
#: entries is about 9 GB and 8 minutes.
MAX_STRUCTURED_ENTRIES = 25 * 10**7

#: The most bytes of the dual-number arrays of one chunk of brackets: a bracket
#: of depth k holds 2^(k-1) coefficients of D residues per row, and the layers
#: about 16 temporaries of that size.
MAX_STRUCTURED_CHUNK_BYTES = 5 * 10**8
_STRUCTURED_TEMPORARIES = 16


def check_structured_batch(dimension, depth, batch, work=None):
    r"""
    Return how many brackets of depth ``depth`` on `\RR^D` to evaluate at once, or raise :class:`BeyondReach`.

    The rows of the whole batch must fit :data:`MAX_STRUCTURED_ENTRIES` and
    the memory of the machine; one chunk, :data:`MAX_STRUCTURED_CHUNK_BYTES`,
    with ``work`` entries (default `D`) per bracket and coefficient.

    EXAMPLES::

        sage: from sage_conslaws.limits import check_structured_batch
        sage: check_structured_batch(1000, 1, 1002)
        1002
        sage: check_structured_batch(10**4, 6, 100)
        12
        sage: check_structured_batch(10**5, 1, 10**5)
        Traceback (most recent call last):
        ...
        BeyondReach: the values of 100000 brackets on R^100000 have 10000000000 entries, beyond reach: the structured path holds them as a dense matrix over GF(p), 8 bytes an entry, about four times (at most 250000000 entries)
        sage: check_structured_batch(10**4, 30, 1)
        Traceback (most recent call last):
        ...
        BeyondReach: a bracket of depth 30 on R^10000 has 687194767360000 bytes of dual numbers, beyond reach: 2^(depth - 1) coefficients of D residues, with the temporaries of the layers (at most 500000000 bytes of dual numbers)
    """
    entries = batch * dimension
    why = ("the structured path holds them as a dense matrix over GF(p), 8 bytes an entry, "
           "about four times")
    subject = f"the values of {batch} brackets on R^{dimension} have"
    check_size(entries, MAX_STRUCTURED_ENTRIES, subject, "entries", why)
    check_size(4 * 8 * entries, available_memory(), subject.replace(" have", " take"),
               "bytes", "this machine's memory")
    row = 8 * max(dimension, work or 0) * 2**(depth - 1) * _STRUCTURED_TEMPORARIES
    check_size(row, MAX_STRUCTURED_CHUNK_BYTES, f"a bracket of depth {depth} on R^{dimension} has",
               "bytes of dual numbers", "2^(depth - 1) coefficients of D residues, with the "
               "temporaries of the layers")
    return max(1, min(batch, MAX_STRUCTURED_CHUNK_BYTES // row))



def check_law_gradients(laws, columns):
    r"""
    Raise :class:`BeyondReach` if the gradients of ``laws`` known laws on ``columns`` positions do not fit as one dense matrix.

    INPUT:

    - ``laws`` -- the number of laws (rows)
    - ``columns`` -- the number of positions of their gradients (columns)

    Their rank modulo `p` proves how many are independent; the matrix has the
    limits of the values of the structured path
    (:data:`MAX_STRUCTURED_ENTRIES`, and the memory of the machine).

    EXAMPLES::

        sage: from sage_conslaws.limits import check_law_gradients
        sage: check_law_gradients(1275, 5000)
        sage: check_law_gradients(10**5, 10**5)
        Traceback (most recent call last):
        ...
        BeyondReach: the gradients of 100000 known laws on 100000 parameters have 10000000000 entries, beyond reach: their rank is that of a dense matrix over GF(p), 8 bytes an entry, about four times (at most 250000000 entries)
    """
    entries = laws * columns
    subject = f"the gradients of {laws} known laws on {columns} parameters have"
    check_size(entries, MAX_STRUCTURED_ENTRIES, subject, "entries",
               "their rank is that of a dense matrix over GF(p), 8 bytes an entry, about four times")
    check_size(4 * 8 * entries, available_memory(), subject.replace(" have", " take"),
               "bytes", "this machine's memory")

def available_memory():
    r"""
    Return the physical memory of the machine, in bytes (or `2^{62}` where it cannot be read).

    EXAMPLES::

        sage: from sage_conslaws.limits import available_memory
        sage: available_memory() > 10**8
        True
    """
    import os
    try:
        return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    except (ValueError, OSError, AttributeError):
        return 2**62
