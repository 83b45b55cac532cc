"""Analytics: tracking events, daily stats and the business-day dimension (docs/domain.md)."""
