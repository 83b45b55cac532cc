"""Piccolo app of the `economy` domain."""

from db.apps import domain_app

APP_CONFIG = domain_app("economy")
