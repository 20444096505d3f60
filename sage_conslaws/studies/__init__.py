r"""
Studies: many counts, run in parallel or on a cluster, stored, resumed and reported

- :mod:`~sage_conslaws.studies.store`: the results store (one SQLite file);
- :mod:`~sage_conslaws.studies.run`: running cases, serially or on Dask, with
  time and memory budgets;
- :mod:`~sage_conslaws.studies.generate`: generated studies (random
  architectures with a fixed seed);
- :mod:`~sage_conslaws.studies.report`: totals, the slowest cases, figures.
"""
