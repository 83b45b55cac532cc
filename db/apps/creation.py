"""Piccolo app of the `creation` domain."""

from db.apps import domain_app

APP_CONFIG = domain_app("creation")
