"""Piccolo's entry point: the one engine of this process, chosen by DATABASE_URL."""

from piccolo.conf.apps import AppRegistry

from db.apps import app_modules
from db.engine import build_engine
from settings import get_settings

DB = build_engine(get_settings().database_url)

APP_REGISTRY = AppRegistry(apps=app_modules())
