"""Route modules; main.py's create_api includes each router."""
