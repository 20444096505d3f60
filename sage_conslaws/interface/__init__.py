r"""
Interface: progress on stderr, reports, the command line.
"""
