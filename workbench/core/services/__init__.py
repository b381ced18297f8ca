"""Services a :class:`~workbench.core.project.Project` offers; each returns plain data.

``Project.__init__`` creates one of each as a typed attribute (``project.people``...).
"""
