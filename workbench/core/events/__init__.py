"""Networks from collaboration event logs: e-mail, meeting and chat metadata (never content)."""
