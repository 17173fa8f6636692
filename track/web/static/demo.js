// The presenter view: run the chapter's walkthrough once, then show it one slide at a time.
"use strict";

const presenter = document.getElementById("presenter");
const stage = document.getElementById("stage");
const counter = document.getElementById("counter");
const token = document.querySelector('meta[name="track-token"]').content;
let slides = [];
let current = 0;

function show(index) {
  if (!slides.length) return;
  current = Math.max(0, Math.min(index, slides.length - 1));
  const shown = slides[current];
  slides.forEach((slide) => { slide.hidden = slide !== shown; });
  stage.querySelectorAll(".step").forEach((step) => { step.hidden = !step.contains(shown); });
  counter.textContent = `${current + 1} / ${slides.length}`;
  presenter.dataset.at = String(current + 1);
  presenter.dataset.end = String(current === slides.length - 1);
}

async function run() {
  const response = await fetch(presenter.dataset.api, { method: "POST", headers: { "X-Track-Token": token } });
  const answer = await response.json();
  if (!response.ok) {
    document.getElementById("which").textContent = answer.message;
    presenter.dataset.state = "failed";
    return;
  }
  document.getElementById("which").textContent = answer.which;
  stage.innerHTML = answer.html;
  slides = Array.from(stage.querySelectorAll(".slide"));
  presenter.dataset.slides = String(slides.length);
  show(0);
  presenter.dataset.state = "ready";
}

document.getElementById("next").addEventListener("click", () => show(current + 1));
document.getElementById("previous").addEventListener("click", () => show(current - 1));
document.getElementById("large").addEventListener("click", (event) => {
  const large = document.body.classList.toggle("large");
  event.currentTarget.setAttribute("aria-pressed", String(large));
});
document.addEventListener("keydown", (event) => {
  // Space on a focused button clicks it already: handled there, not twice.
  if (event.key === " " && event.target.closest("button, a, input, textarea, select")) return;
  if (event.key === "ArrowRight" || event.key === " ") {
    event.preventDefault();
    show(current + 1);
  } else if (event.key === "ArrowLeft") {
    event.preventDefault();
    show(current - 1);
  }
});
run();
