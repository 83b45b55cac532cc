"""Analytics on the graph: recording events, the business-day dimension (admins)."""
