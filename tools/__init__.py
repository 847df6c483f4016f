"""Developer tooling beside the package: the benchmark, mutation testing, the book's pages.

Nothing in `iris_keras` imports these modules, and the wheel does not ship
them (`make lint` checks both). Run them from the repository's root, as the
Makefile does: `python -m tools.bench`, `python -m tools.mutation`,
`python -m tools.book.section_map`.
"""
