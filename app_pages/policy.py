"""Policy timeline: Cambodia's waste laws, sub-decrees, strategies, campaigns and projects, 1996 to 2025.

The page is drawn by components/views_policy.py, next to its cached views: a page file is compiled anew on every
run, a module once per process.
"""

from components.views_policy import main

main()
