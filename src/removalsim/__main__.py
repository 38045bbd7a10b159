"""`python -m removalsim ...`: the same command line as `removalsim ...` (for a reader without the script on PATH)."""

from .cli import main

main()
