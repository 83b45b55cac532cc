"""Piccolo app of the `square_hole` domain."""

from db.apps import domain_app

APP_CONFIG = domain_app("square_hole")
