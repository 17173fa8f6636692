"""Flask-Script's `runserver` options (tutorial 003) and what `flask run` offers for each today."""
from flask.cli import run_command

# The usage line tutorial 003 printed, option by option, with today's spelling (None: no flag).
SUCCESSORS = {
    "-h HOST": "--host",                    # -h still works: flask run -h 0.0.0.0
    "-p PORT": "--port",
    "--threaded": "--with-threads",         # on by default; --without-threads turns it off
    "--processes PROCESSES": None,          # app.run(processes=N) in code; gunicorn -w N in production
    "--passthrough-errors": None,           # app.run(passthrough_errors=True) in code
    "-d / -D": "--debug",                   # --debug / --no-debug
    "-r / -R": "--reload",                  # --reload / --no-reload
    "--ssl-crt SSL_CRT": "--cert",
    "--ssl-key SSL_KEY": "--key",
}

flask_run = {opt for param in run_command.params for opt in param.opts + param.secondary_opts}
for old, new in SUCCESSORS.items():
    print(f"runserver {old:24} -> " + (f"flask run {new}" if new else "no flag of flask run"))
    assert new is None or new in flask_run, new
print("flask run also has:", sorted(flask_run - set(SUCCESSORS.values()) - {"-h", "-p"}))
