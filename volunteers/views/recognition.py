"""(filled in by the recognition work)"""
