"""Organisational network analysis: graphs, metrics, communities, groups and findings.

igraph's PageRank (PRPACK) runs on OpenMP threads that spin while they wait: beside any other
busy thread or program on a laptop's few cores a 20 ms PageRank of 100,000 ties takes half a
second, and its last digits change from run to run. One thread is as fast and repeatable, so
it is the default here, set before igraph loads (a value the user set is kept).
"""

import os

os.environ.setdefault("OMP_NUM_THREADS", "1")
