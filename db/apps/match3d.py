"""Piccolo app of the `match3d` domain."""

from db.apps import domain_app

APP_CONFIG = domain_app("match3d")
