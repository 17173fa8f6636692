"""Chapter 13 from the client's side: pages, a form with its CSRF token, Post/Redirect/Get.

`python -m track demo 13` starts the server and prints every exchange. Against a server
you started yourself (`make chapter-13 run`), run `python -m chapters.ch13_templates_forms.client`.
A browser does all of this for you; `requests` shows each step: the page, its hidden token,
the session cookie that goes with it, the 303 and the GET that follows it.
"""
import re

import requests

# Enough for this page: the hidden input guestbook.html renders. The grader reads pages with a real HTML parser.
TOKEN = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')


def walkthrough(http: requests.Session, base_url: str) -> None:
    # why: A page is a template that extends a layout: the base gives every page its head, stylesheet and blocks.
    # why-zh: 页面是继承布局的模板：基础模板给每个页面提供 head、样式表和块。
    # --8<-- [start:home]
    home = http.get(f"{base_url}/")
    assert home.headers["Content-Type"] == "text/html; charset=utf-8"
    assert "<title>Home · Guestbook</title>" in home.text
    assert http.get(f"{base_url}/static/style.css").headers["Content-Type"].startswith("text/css")
    # --8<-- [end:home]

    # why: Jinja escapes every value it prints: a name with tags comes back as text, never as HTML.
    # why-zh: Jinja 会转义它输出的每个值：带标签的名字以文本返回，绝不会变成 HTML。
    # --8<-- [start:hello]
    hello = http.get(f"{base_url}/hello/<b>ada lovelace")
    assert "<h1>Hello, &lt;b&gt;ada lovelace!</h1>" in hello.text   # autoescaped: no <b> tag
    assert '<p class="initials">&lt;.L.</p>' in hello.text           # the filter `initials`
    # --8<-- [end:hello]

    # why: A form carries a CSRF token from its page; a POST without it is refused with 400 before your view runs.
    # why-zh: 表单带着页面给的 CSRF 令牌；没有它的 POST 在视图运行之前就以 400 被拒绝。
    # --8<-- [start:csrf]
    # The form page carries a hidden csrf_token; the Session keeps the cookie it goes with.
    form_page = http.get(f"{base_url}/guestbook")
    token = TOKEN.search(form_page.text)[1]
    assert "session" in http.cookies
    # What another site's page can do: post to us with our cookie, but without the token.
    forged = http.post(f"{base_url}/guestbook", data={"name": "Mallory", "message": "hi"})
    assert forged.status_code == 400 and "The CSRF token is missing." in forged.text
    # --8<-- [end:csrf]

    # why: An invalid form answers 422 with the page again: the values typed are kept and each error is shown.
    # why-zh: 无效的表单以 422 再次返回页面：已填的值保留，每个错误都显示出来。
    # --8<-- [start:invalid]
    invalid = http.post(f"{base_url}/guestbook", data={"csrf_token": token, "name": "Ada", "message": ""})
    assert invalid.status_code == 422
    assert 'value="Ada"' in invalid.text and '<ul class="errors">' in invalid.text
    # --8<-- [end:invalid]

    # why: A valid POST redirects with 303 (Post/Redirect/Get): a reload never sends the form twice, and the flash shows once.
    # why-zh: 有效的 POST 以 303 重定向（Post/Redirect/Get）：刷新不会重复提交表单，闪现消息只显示一次。
    # --8<-- [start:sign]
    signed = http.post(f"{base_url}/guestbook", data={"csrf_token": token, "name": "Ada", "message": "Hello!"},
                       allow_redirects=False)
    assert signed.status_code == 303 and signed.headers["Location"] == "/guestbook"
    after = http.get(f"{base_url}/guestbook")   # what a browser does on a 303: GET the Location
    assert '<div class="flash success">Thanks, Ada!</div>' in after.text
    assert '<li class="entry"><strong>Ada</strong>: Hello!</li>' in after.text
    assert "Thanks, Ada!" not in http.get(f"{base_url}/guestbook").text   # shown once
    # --8<-- [end:sign]

    # why: An unknown page gets the app's own 404 page, not Werkzeug's default.
    # why-zh: 不存在的页面得到应用自己的 404 页面，而不是 Werkzeug 的默认页面。
    # --8<-- [start:missing]
    missing = http.get(f"{base_url}/no-such-page")
    assert missing.status_code == 404 and "<title>Not found · Guestbook</title>" in missing.text
    assert http.delete(f"{base_url}/guestbook").status_code == 405
    # --8<-- [end:missing]


if __name__ == "__main__":
    from track.walkthrough.stepper import main

    main(walkthrough)
