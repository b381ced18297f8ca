"""Organisational network analysis: graphs, metrics, communities, groups and findings."""
