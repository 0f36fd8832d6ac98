"""(filled in by the bank work)"""
