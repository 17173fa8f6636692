"""Chapter 7: URL converters: built-in, custom (regex, list, date), route options and subdomains."""
