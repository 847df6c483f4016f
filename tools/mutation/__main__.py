"""`python -m tools.mutation`: run, collect or report (see `tools.mutation.runner`)."""

from tools.mutation.runner import main

main()
