"""Chapter 14: shipping a small books API — configuration, migrations, health, logs, a container."""
