"""Piccolo app of the `realtime` domain (stream counters and the stream log)."""

from db.apps import domain_app

APP_CONFIG = domain_app("realtime")
