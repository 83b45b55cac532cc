"""Piccolo app of the `assets` domain."""

from db.apps import domain_app

APP_CONFIG = domain_app("assets")
