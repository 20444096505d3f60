r"""
The structured path: values of fields and brackets from a model's structure, modulo a prime

For models built from layers, the values at a random point of random
combinations of the generators of `W` and of their nested brackets come from
matrix products over `GF(p)` and dual numbers (forward mode), with no
polynomial per component of `\phi` and no Jacobian matrix
(:mod:`~sage_conslaws.structured.brackets`); their rank is an exact lower
bound of `\dim \mathrm{Lie}(W)` (:mod:`~sage_conslaws.structured.closure`).
"""
