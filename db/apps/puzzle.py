"""Piccolo app of the `puzzle` domain."""

from db.apps import domain_app

APP_CONFIG = domain_app("puzzle")
