"""Chapter 12: real time with Flask-SocketIO on gevent — auth, acknowledgements, rooms, broadcast, background tasks."""
