"""Django Ninja routers; api/ninja_api.py adds each to the API."""
