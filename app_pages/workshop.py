"""Workshop 2025: the March 2025 national workshop, its six takeaways and next steps, linked to the evidence.

The page is drawn by components/views_workshop.py, next to its cached view: a page file is compiled anew on every
run, a module once per process.
"""

from components.views_workshop import main

main()
