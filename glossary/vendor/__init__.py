"""lunr.min.js 2.3.9, the copy of node_modules/lunr/lunr.min.js that tests/unit/test_theme.py keeps identical."""
