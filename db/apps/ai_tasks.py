"""Piccolo app of the `ai_tasks` domain."""

from db.apps import domain_app

APP_CONFIG = domain_app("ai_tasks")
