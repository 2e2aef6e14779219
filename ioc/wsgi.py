"""WSGI entry point for gunicorn: ``gunicorn -c config/gunicorn.conf.py``."""

from ioc.app import create_app

app = create_app()
