"""Forms of the spaces' pages, one module per part."""
