"""Action library, gaps to a 100-day plan, and say-vs-show evidence (Qt-free)."""
