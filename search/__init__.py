"""Search across courses, lessons, resources and training packages."""
