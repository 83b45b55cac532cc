"""Piccolo app of the `migration` domain."""

from db.apps import domain_app

APP_CONFIG = domain_app("migration")
