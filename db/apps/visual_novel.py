"""Piccolo app of the `visual_novel` domain."""

from db.apps import domain_app

APP_CONFIG = domain_app("visual_novel")
