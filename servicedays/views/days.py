"""Service days and their stalls, planned month by month: the pages."""
