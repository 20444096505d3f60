r"""
Presentation of results: numbers, JSON lines, aligned reports

The results of the package know their own reports (``.report()``) and
dictionaries (``.as_dict()``); this module holds what those and the command
line :mod:`sage_conslaws.cli` share. It imports neither Sage nor numpy.

EXAMPLES::

    sage: from sage_conslaws.report import json_line, number
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

        sage: from sage_conslaws.report import number
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

        sage: from sage_conslaws.report import json_safe
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

        sage: from sage_conslaws.report import json_line
        sage: json_line({"laws": Integer(4), "certified": True, "drift": {"neuron 1.0": 1e-3}})
        '{"laws": 4, "certified": true, "drift": {"neuron 1.0": 0.001}}'
    """
    return json.dumps(json_safe(record), allow_nan=False)
