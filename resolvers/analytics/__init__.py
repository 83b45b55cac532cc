"""Analytics: tracking events, daily stats and the business-day dimension (DOMAIN.md §3)."""
