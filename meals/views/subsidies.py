"""Pages: see meals/urls.py."""
