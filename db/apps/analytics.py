"""Piccolo app of the `analytics` domain."""

from db.apps import domain_app

APP_CONFIG = domain_app("analytics")
