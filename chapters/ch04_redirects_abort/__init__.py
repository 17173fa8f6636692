"""Chapter 4: redirects, url_for, abort, error handlers and a custom HTTPException."""
