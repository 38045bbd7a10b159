"""`python -m removalsim.cli ...`: the same as the `removalsim` command."""

from . import main

main()
