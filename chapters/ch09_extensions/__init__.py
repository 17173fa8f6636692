"""Chapter 9: Extensions: Flask-SQLAlchemy, Flask-Bcrypt, Flask-JWT-Extended and app.cli commands."""
