"""Chapter 3: responses: text, JSON, status and headers, cookies, send_file and uploads."""
