"""Chapter 5: contexts, g, request hooks, interceptors, CORS and a global error handler."""
