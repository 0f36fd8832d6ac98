"""Neighbourhood centres and their star ratings, local talent (睦邻达人) and awards (最美江秋人)."""
