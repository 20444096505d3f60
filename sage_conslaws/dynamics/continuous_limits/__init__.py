r"""
Continuous limits of momentum methods (Kovachki--Stuart), exact and measured.
"""
