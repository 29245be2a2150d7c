"""Sources and methods: every source and the figures taken from it, how derived numbers are made, gaps, conflicts.

The page is drawn by components/views_sources.py, next to its cached views: a page file is compiled anew on every
run, a module once per process.
"""

from components.views_sources import main

main()
