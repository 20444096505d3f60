r"""
Closure: the Lie closure of the fields at a point, and the proof of its dimension.
"""
