"""(filled in by the hours work)"""
