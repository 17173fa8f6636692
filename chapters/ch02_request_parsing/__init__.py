"""Chapter 2: reading the request: args, form, values, files, JSON, headers and cookies."""
