"""Overview: the headline figure, the spread of published national totals, and the workshop's takeaways.

The page is drawn by components/views_overview.py, next to its cached view: a page file is compiled anew on every
run, a module once per process.
"""

from components.views_overview import main

main()
