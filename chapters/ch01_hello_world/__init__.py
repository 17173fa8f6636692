"""Chapter 1: Hello, World: the app object, routes and the server."""
