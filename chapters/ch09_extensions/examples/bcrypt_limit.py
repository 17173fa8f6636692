"""bcrypt reads at most 72 bytes of a password; bcrypt 5 refuses longer ones outright.

Run: python chapters/ch09_extensions/examples/bcrypt_limit.py
"""
import bcrypt

salt = bcrypt.gensalt(rounds=4)  # 4 is the minimum cost: fine for a demo, far too low for real use
for password in ("x" * 72, "é" * 36, "x" * 73, "é" * 37):
    size = len(password.encode("utf-8"))
    try:
        bcrypt.hashpw(password.encode("utf-8"), salt)
        print(f"{len(password):>2} characters, {size} bytes: hashed")
    except ValueError as error:
        print(f"{len(password):>2} characters, {size} bytes: ValueError: {error}")

hashed = bcrypt.hashpw(b"secret", salt)
print("The hash carries its algorithm, cost and salt:", hashed.decode()[:29], "...")
try:
    bcrypt.checkpw(b"y" * 73, hashed)
except ValueError:
    print("checkpw raises too, so a login with a 73-byte password must be caught before bcrypt")
