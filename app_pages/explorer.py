"""Data explorer: every table of the data package, filtered and searched, with its column help and downloads.

The page is drawn by components/views_explorer.py, next to its cached views: a page file is compiled anew on every
run, a module once per process.
"""

from components.views_explorer import main

main()
