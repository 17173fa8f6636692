"""The walkthrough for a room and for afterwards: the presenter view's steps and the handout page.

Both show what `demo N` ran, step by step: why the step matters (client.py's `# why:`), the
request as sent, the answer as received and the server's log lines for it. The presenter
view (`/chapters/N/demo`) runs the learner's chapter when it passes and the reference
otherwise; `demo N --handout FILE.html` writes the same steps as one self-contained page.
"""
from __future__ import annotations

import io
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape
from rich.console import Console

from track.model import i18n
from track.model.course import Chapter
from track.walkthrough.stepper import plan_of
from track.model.i18n import _
from track.walkthrough.demo import Demo, demo_run, unsolved
from track.walkthrough.printer import Printer, learner_language

WEB = Path(__file__).parent
PAGES = Environment(loader=FileSystemLoader(WEB / "templates"), autoescape=select_autoescape())
PAGES.globals["_"] = _


def which(demo: Demo) -> str:
    """Whose code the walkthrough ran, and why that one."""
    n = demo.chapter.number
    if not demo.reference:
        return _("Your chapter {n} passes: this walkthrough runs your copy.").format(n=n)
    if demo.unsolved is None:
        return _("This walkthrough runs the reference solution of chapter {n}.").format(n=n)
    return _("Your chapter {n} is not solved yet ({solved}/{total}): this walkthrough runs the reference solution.").format(
        n=n, solved=demo.unsolved[0], total=demo.unsolved[1])


def steps_html(demo: Demo) -> str:
    return PAGES.get_template("walkthrough.html").render(demo=demo, lang=learner_language())


def presented(chapter: Chapter, lang: str) -> dict:
    """Run the chapter's walkthrough for the presenter view: the learner's copy once it passes."""
    i18n.chosen.set("zh_CN" if lang == "zh" else "en")  # this runs in a thread of its own
    progress = unsolved(chapter)
    printer = Printer(plan_of(chapter).headers, console=Console(file=io.StringIO()))
    demo = demo_run(chapter, progress is not None, printer, progress=progress)
    return {"which": which(demo), "html": steps_html(demo), "passed": demo.passed}


def write_handout(demo: Demo, path: Path) -> None:
    """The whole walkthrough as one page with its style inside: nothing else to send along."""
    page = PAGES.get_template("handout.html").render(
        demo=demo, which=which(demo), steps=steps_html(demo), lang=learner_language(),
        style=(WEB / "static" / "walkthrough.css").read_text(encoding="utf-8"))
    path.write_text(page, encoding="utf-8")
