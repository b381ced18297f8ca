"""The customer-learning lab: practices an organisation runs for 100 days, not only rates.

An insight-to-action log, relationship experiments, customer evidence per segment and journey
canvases; their findings feed the say-vs-show evidence, the plan, the step gate and the reports.
"""
