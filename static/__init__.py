"""The built-in static files, shipped inside the package as glossary.static (see glossary/theme.py)."""
