"""Why "starts with /" is not enough for a `next` parameter: how browsers would read each value."""
from urllib.parse import urljoin, urlsplit

SITE = "http://127.0.0.1:5000/login"
for target in ["/admin", "//evil.example", "https://evil.example", "/\\evil.example", "/\t/evil.example"]:
    # Browsers treat "\" like "/" and drop tabs and newlines before resolving a URL.
    as_browser_reads_it = target.replace("\\", "/").replace("\t", "").replace("\n", "")
    parts = urlsplit(target)
    print(f"{target!r:24} starts with '/': {target.startswith('/')!s:5}  netloc: {parts.netloc!r:16}"
          f" a browser goes to: {urljoin(SITE, as_browser_reads_it)}")
