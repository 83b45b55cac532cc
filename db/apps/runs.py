"""Piccolo app of the `runs` domain."""

from db.apps import domain_app

APP_CONFIG = domain_app("runs")
