"""Built-in plugins: each sub-package is a Django app with a plugin.py."""
