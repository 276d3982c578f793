"""The built-in Jinja templates, shipped inside the package as glossary.templates (see glossary/theme.py)."""
