"""The method: from every assessment to ordered gaps (what the source documents teach)."""
