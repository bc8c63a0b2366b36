"""Route modules; api/app.py registers each blueprint."""
