"""Governance projects (三微项目, 自治项目) and the yearly competitions that choose the best."""
