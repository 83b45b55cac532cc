"""Piccolo app of the `worlds` domain."""

from db.apps import domain_app

APP_CONFIG = domain_app("worlds")
