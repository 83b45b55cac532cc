"""Piccolo app of the `auth` domain."""

from db.apps import domain_app

APP_CONFIG = domain_app("auth")
