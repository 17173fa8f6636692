"""Tools for the course's maintainers: new chapters, stubs, message catalogs, the exercise matrix, mistakes."""
