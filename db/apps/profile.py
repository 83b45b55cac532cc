"""Piccolo app of the `profile` domain."""

from db.apps import domain_app

APP_CONFIG = domain_app("profile")
