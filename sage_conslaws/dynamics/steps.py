r"""
The steps of the discrete optimizers, in float64

One implementation of each step, shared by the momentum methods of the
continuous limits (:meth:`~sage_conslaws.dynamics.continuous_limits.methods.MomentumMethod.run`)
and by the optimizers of training runs
(:class:`~sage_conslaws.training.optimizers.Optimizer`); the methods and
their parameters are in :data:`~sage_conslaws.dynamics.ode.OPTIMIZERS`.

With `\Delta_k = x_k - x_{k-1}`, a momentum `\lambda_k` and a look-ahead `a_k`,
the momentum step is

.. MATH::

    x_{k+1} = x_k + \lambda_k \Delta_k - h \nabla L\bigl(x_k + a_k \Delta_k\bigr),

in two halves: :func:`gradient_point` (where the gradient is taken) and
:func:`momentum_update` (the update, given that gradient), which
:func:`momentum_step` composes. A training run calls the halves, because it
also needs the loss at the gradient point.

The points are numpy arrays (numpy is imported by the callers, not here:
the module imports without the extra ``[simulate]``).

EXAMPLES:

The heavy ball on `L(x) = x^2/2`, from rest: `x_1 = (1 - h)x_0`, then
`x_2 = x_1 + \lambda(x_1 - x_0) - h x_1`::

    sage: import numpy as np
    sage: from sage_conslaws.dynamics.steps import momentum_step
    sage: x0 = np.array([1.0])
    sage: x1 = momentum_step(x0, x0, lambda x: x, 0.1, momentum=0.5); x1
    array([0.9])
    sage: momentum_step(x1, x0, lambda x: x, 0.1, momentum=0.5)
    array([0.76])
"""


def gradient_point(x, x_previous, look_ahead=0.0):
    r"""
    Return `x_k + a\Delta_k`, the point where a momentum step from `x_k` takes the gradient.

    INPUT:

    - ``x``, ``x_previous`` -- `x_k` and `x_{k-1}`, numpy arrays
    - ``look_ahead`` -- (default: 0) the look-ahead `a`

    OUTPUT: a numpy array; ``x`` itself (not a copy) when `a = 0`, so that a
    caller can tell that the gradient is taken at `x_k`

    EXAMPLES::

        sage: import numpy as np
        sage: from sage_conslaws.dynamics.steps import gradient_point
        sage: x, x_previous = np.array([2.0]), np.array([1.0])
        sage: gradient_point(x, x_previous, 0.5), gradient_point(x, x_previous) is x
        (array([2.5]), True)
    """
    if not look_ahead:
        return x
    return x + look_ahead * (x - x_previous)


def momentum_update(x, x_previous, gradient, lr, momentum=0.0):
    r"""
    Return `x_{k+1} = x_k + \lambda\Delta_k - h g`, for the gradient `g` taken at :func:`gradient_point`.

    INPUT:

    - ``x``, ``x_previous`` -- `x_k` and `x_{k-1}`, numpy arrays
    - ``gradient`` -- the gradient `g`, a numpy array
    - ``lr`` -- the step size `h`
    - ``momentum`` -- (default: 0) the momentum `\lambda`

    OUTPUT: a numpy array, `x_{k+1}`

    EXAMPLES:

    The discretized Newtonian dynamics (`\lambda = 1`) keeps going at
    constant speed when the gradient vanishes::

        sage: import numpy as np
        sage: from sage_conslaws.dynamics.steps import momentum_update
        sage: momentum_update(np.array([2.0]), np.array([1.0]), np.array([0.0]), 0.1, momentum=1.0)
        array([3.])
    """
    return x + momentum * (x - x_previous) - lr * gradient


def momentum_step(x, x_previous, gradient, lr, momentum=0.0, look_ahead=0.0):
    r"""
    Return `x_{k+1} = x_k + \lambda\Delta_k - h\nabla L(x_k + a\Delta_k)`, `\Delta_k = x_k - x_{k-1}`.

    INPUT:

    - ``x``, ``x_previous`` -- `x_k` and `x_{k-1}`, numpy arrays
    - ``gradient`` -- a function mapping a numpy array `x` to `\nabla L(x)`
    - ``lr`` -- the step size `h`
    - ``momentum`` -- (default: 0) the momentum `\lambda`
    - ``look_ahead`` -- (default: 0) the look-ahead `a`: 0 for the heavy
      ball, `\lambda` for Nesterov

    OUTPUT: a numpy array, `x_{k+1}`

    EXAMPLES:

    Nesterov on `L(x) = x^2/2`, `\lambda = a = 1/2`, from `x_{-1} = 1`,
    `x_0 = 2`: the gradient is taken at `2.5`, so `x_1 = 2 + 0.5 - 0.1 \cdot 2.5`::

        sage: import numpy as np
        sage: from sage_conslaws.dynamics.steps import momentum_step
        sage: momentum_step(np.array([2.0]), np.array([1.0]), lambda x: x, 0.1, 0.5, 0.5)
        array([2.25])
    """
    g = gradient(gradient_point(x, x_previous, look_ahead))
    return momentum_update(x, x_previous, g, lr, momentum)


def mirror_step(x, gradient, lr):
    r"""
    Return `x_k \odot \exp(-h g)`, the step of entropic mirror descent (multiplicative updates).

    INPUT:

    - ``x`` -- `x_k`, a numpy array of positive numbers
    - ``gradient`` -- the gradient `g` at `x_k`, a numpy array
    - ``lr`` -- the step size `h`

    OUTPUT: a numpy array, `x_{k+1}`

    EXAMPLES::

        sage: import numpy as np
        sage: from sage_conslaws.dynamics.steps import mirror_step
        sage: mirror_step(np.array([2.0]), np.array([np.log(4.0)]), 0.5)
        array([1.])
    """
    import numpy
    return x * numpy.exp(-lr * gradient)
