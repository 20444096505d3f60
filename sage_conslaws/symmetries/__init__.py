r"""
Symmetries: the linear symmetries of a model, Noether's laws and the tables of laws.
"""
