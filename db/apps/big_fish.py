"""Piccolo app of the `big_fish` domain."""

from db.apps import domain_app

APP_CONFIG = domain_app("big_fish")
