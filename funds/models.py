"""The community fund (社区基金): campaigns, donations, expenses, the ledger, the public page."""
