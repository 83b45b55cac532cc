"""Piccolo app of the `rpg` domain (the custom world's runtime: story sessions, NPCs, inventory)."""

from db.apps import domain_app

APP_CONFIG = domain_app("rpg")
