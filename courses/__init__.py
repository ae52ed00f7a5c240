"""Authored content: the catalogue, courses, units, lessons, resource libraries, training packages.

Teachers author these pages in Wagtail, inside their institution's section of the tree; a provincial
reviewer approves them before they go live. See ``readme.md`` for the tree and the rules.
"""
