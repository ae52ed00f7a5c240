"""Plugins: the plugin core (``plugins.core``) and the built-in plugins (``plugins.builtin``).

The core is the bottom layer of the platform (everything may use it); built-in plugins are the top
layer (they may use everything). See ``plugins/readme.md``.
"""
