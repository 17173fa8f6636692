"""What `Flask(__name__)` records: the import name, and the folders Flask derives from it."""
from flask import Flask

app = Flask(__name__)
print("import_name:", app.import_name)        # "__main__" when run as a script
print("root_path:  ", app.root_path)          # templates/ and static/ are looked up here
print("static URL: ", app.static_url_path)    # /static, served by the built-in `static` rule
print("rules:      ", [rule.rule for rule in app.url_map.iter_rules()])
