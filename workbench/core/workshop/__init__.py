"""Workshop mode without Qt: agenda, vote statistics, predict-then-reveal scoring, records."""
