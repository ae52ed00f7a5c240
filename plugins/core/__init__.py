"""The plugin core: interfaces, discovery, registry, per-Site configuration."""
