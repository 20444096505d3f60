r"""
Fields: polynomial vector fields, gradients under a metric, Taylor jets, evaluation at points.
"""
