"""`make mutate`: mutation testing of the package with mutmut, and its report.

The report is `docs/developers/mutation.md`.
"""
