"""Chapter 8: Blueprints: the app factory, one blueprint per module, templates and prefixes."""
