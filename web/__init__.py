"""Flask blueprints: JSON API, health, live push (and later the console,
inbox and citizen pages). Views stay thin and call ``ioc`` services."""
