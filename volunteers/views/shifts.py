"""(filled in by the shifts work)"""
