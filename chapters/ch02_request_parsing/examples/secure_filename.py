"""What a client may call its upload, and what `secure_filename` makes of it."""
import os

from werkzeug.utils import secure_filename

for name in ["holiday.png", "../../etc/passwd", "/etc/cron.d/job", "..\\..\\evil.png",
             "my cat.png", "café.png", "照片.png", "..", ""]:
    naive = os.path.normpath(os.path.join("./uploads", name)) if name else "(nothing)"
    print(f"{name!r:22} naive path: {naive:22} secure_filename: {secure_filename(name)!r}")
