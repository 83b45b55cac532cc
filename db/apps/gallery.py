"""Piccolo app of the `gallery` domain (likes, daily plays, the public read model)."""

from db.apps import domain_app

APP_CONFIG = domain_app("gallery")
