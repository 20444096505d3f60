r"""
Generated studies: random architectures with a fixed seed, as the papers' sweeps

:func:`study_lines` draws architectures of a model: for networks given by
their widths (``linear``, ``relu``, the MLP activations, ``conv1d``,
``conv2d``), a depth (the number of layers of weights) in ``depths`` and each
width in ``widths``; for the models of a fixed number of sizes (``nmf``,
``lora``, ``attention``, ...), each size in ``widths``. Every line is then a
case of a sweep file, the same options appended to each, and is checked as a
sweep checks its lines.

EXAMPLES::

    sage: from sage_conslaws.studies.generate import study_lines
    sage: study_lines("linear", depths=(2, 3), widths=(2, 4), count=3, seed=0)
    ['linear 3,2,3,4', 'linear 3,3,3,3', 'linear 4,2,3']
    sage: study_lines("lora", widths=(2, 3), count=2, seed=1, options="--softmax")
    ['lora 2,2,3 --softmax', 'lora 2,3,3 --softmax']
"""
import random

from sage_conslaws.models.registry import FIXED_SIZES


def parse_range(text, what):
    r"""
    Return the pair ``(low, high)`` of the range ``"A..B"`` (or ``"A"``) of positive integers.

    EXAMPLES::

        sage: from sage_conslaws.studies.generate import parse_range
        sage: parse_range("2..5", "--widths"), parse_range("3", "--depth")
        ((2, 5), (3, 3))
        sage: parse_range("5..2", "--widths")
        Traceback (most recent call last):
        ...
        ValueError: --widths must be a range A..B of positive integers with A <= B, got '5..2'
    """
    parts = str(text).split("..")
    try:
        low, high = (int(parts[0]), int(parts[-1])) if len(parts) <= 2 else (0, 0)
    except ValueError:
        low = high = 0
    if not 1 <= low <= high:
        raise ValueError(f"{what} must be a range A..B of positive integers with A <= B, "
                         f"got {text!r}")
    return low, high


def study_lines(model, depths=(2, 2), widths=(2, 4), count=50, seed=0, options=""):
    r"""
    Return ``count`` cases of ``model`` with random sizes, drawn with ``seed``.

    INPUT:

    - ``model`` -- a model name of the command line (see
      :func:`~sage_conslaws.models.registry.build_model`)
    - ``depths`` -- (default: ``(2, 2)``) the range of the number of layers of
      weights, for models given by their widths
    - ``widths`` -- (default: ``(2, 4)``) the range of each width or size
    - ``count`` -- (default: 50) the number of cases
    - ``seed`` -- (default: 0) the seed of the draw
    - ``options`` -- (default: ``""``) options appended to every case, e.g.
      ``"--bias --flow momentum"``

    OUTPUT: a list of distinct lines, each checked (built, its options
    read); an error names the first line that is not a valid case

    EXAMPLES::

        sage: from sage_conslaws.studies.generate import study_lines
        sage: study_lines("relu", (2, 2), (2, 3), 2, seed=5, options="--bias")
        ['relu 3,2,3 --bias', 'relu 2,2,2 --bias']

    TESTS::

        sage: study_lines("nmf", count=0)
        Traceback (most recent call last):
        ...
        ValueError: a study needs at least one case, got 0
        sage: study_lines("relu", options="--colour red", count=1)
        Traceback (most recent call last):
        ...
        ValueError: case 'relu 3,2,3 --colour red': unrecognized arguments: --colour red
        sage: study_lines("linear", (1, 1), (1, 2), 5)
        Traceback (most recent call last):
        ...
        ValueError: the ranges give only 4 distinct architectures of linear in 500 draws, fewer than the 5 asked
    """
    from sage_conslaws.interface.cases import check_case, parse_case
    if count < 1:
        raise ValueError(f"a study needs at least one case, got {count}")
    rng = random.Random(int(seed))
    depths, widths = tuple(map(int, depths)), tuple(map(int, widths))
    lines = []
    for _ in range(100 * count):
        if len(lines) == count:
            break
        if model in FIXED_SIZES:
            sizes = [rng.randint(*widths) for _ in FIXED_SIZES[model].split(",")]
        else:
            sizes = [rng.randint(*widths) for _ in range(rng.randint(*depths) + 1)]
        line = f"{model} {','.join(map(str, sizes))}" + (f" {options}" if options else "")
        if line in lines:
            continue  # a study of distinct architectures: a case is stored once
        try:
            check_case(parse_case(line))
        except (ValueError, TypeError) as error:
            raise ValueError(f"case {line!r}: {error}") from None
        lines.append(line)
    if len(lines) < count:
        raise ValueError(f"the ranges give only {len(lines)} distinct architectures of {model} "
                         f"in {100 * count} draws, fewer than the {count} asked")
    return lines
