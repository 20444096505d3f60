r"""
Laws: polynomial conservation laws, and the count of all the laws with its certificate.
"""
