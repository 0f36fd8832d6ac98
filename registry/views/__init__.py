"""The registry's pages, one module per concern; ``registry/urls.py`` maps them."""
