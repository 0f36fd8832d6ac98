"""Sites, spaces, their hours, closures and rules; the public page: the pages."""
