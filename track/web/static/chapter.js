// The chapter page: live status over server-sent events, hints, the solution diff, the console.
"use strict";

const page = document.getElementById("chapter");
const api = page.dataset.api;
const token = document.querySelector('meta[name="track-token"]').content;
const $ = (id) => document.getElementById(id);
const TEXTS = JSON.parse($("texts").textContent); // this page's words, in its language (track/web/app.py)

// Every change goes out with the page's token (see track/web/app.py); errors come back as JSON.
async function call(method, path, body) {
  const response = await fetch(api + path, { method, body, headers: { "X-Track-Token": token } });
  const data = await response.json();
  if (!response.ok) throw new Error(data.message);
  return data;
}

function showStatus(status) {
  $("checking").hidden = status.state !== "checking";
  if (status.state !== "graded") return;
  $("status").dataset.state = status.solved ? "solved" : "unsolved";
  $("score").textContent = `${status.score}/${status.points}`;
  for (const exercise of status.exercises) {
    const item = document.querySelector(`.exercise[data-id="${exercise.id}"]`);
    item.dataset.status = exercise.status;
    item.title = exercise.label;
    item.querySelector(".mark").textContent = exercise.mark; // the words and marks of track/model/results.py
  }
  $("problem").textContent = status.problem;
  $("solution-button").disabled = !status.solved;
}

// EventSource reconnects by itself if the dashboard restarts. Closed when the page goes away:
// a browser opens only six connections to one host, and a kept page would hold on to its stream.
const events = new EventSource(api + "/events");
events.onmessage = (message) => showStatus(JSON.parse(message.data));
window.addEventListener("pagehide", () => events.close());

function show(id, text) {
  $(id).hidden = false;
  $(id).textContent = text;
}

$("hint-button").onclick = () =>
  call("POST", "/hint").then((data) => show("hint", data.hint), (error) => show("hint", error.message));

$("solution-button").onclick = () =>
  fetch(api + "/solution").then((response) => response.json()).then((data) => {
    $("solution").hidden = false;
    $("solution").innerHTML = data.html || `<p>${data.message || TEXTS.identical}</p>`;
  });

function serverIs(url) {
  $("server-url").textContent = url || "";
  $("server-start").hidden = Boolean(url);
  $("server-stop").hidden = !url;
}

$("server-start").onclick = () => {
  $("server-url").textContent = TEXTS.starting;
  call("POST", "/server").then((data) => serverIs(data.url), (error) => show("server-url", error.message));
};
$("server-stop").onclick = () => call("DELETE", "/server").then(() => serverIs(null));

// The picker fills the form from one of client.py's requests; its files are attached server-side.
let steps = [];
fetch(api + "/requests").then((response) => response.json()).then((data) => {
  if (!Array.isArray(data)) return show("response-body", data.message);
  steps = data;
  steps.forEach((step, index) => $("picker").add(new Option(`${step.section}: ${step.method} ${step.path}`, index)));
});
$("picker").onchange = () => {
  const step = steps[$("picker").value];
  if (!step) return;
  $("method").value = step.method;
  $("path").value = step.path;
  $("headers").value = Object.entries(step.headers).map(([name, value]) => `${name}: ${value}`).join("\n");
  // A multipart step's text fields go in the body as `a=1&b=2`; its files are attached server-side.
  $("body").value = step.body || new URLSearchParams(step.form).toString();
};

function showResponse(data) {
  $("response").hidden = false;
  $("response-status").textContent = `${data.status} ${data.reason} · ${data.elapsed_ms} ms`;
  $("response-headers").replaceChildren(...data.headers.map(([name, value]) => {
    const row = document.createElement("tr");
    row.append(Object.assign(document.createElement("th"), { textContent: name }),
               Object.assign(document.createElement("td"), { textContent: value }));
    return row;
  }));
  $("response-body").textContent = data.body;
}

$("request-form").onsubmit = (event) => {
  event.preventDefault();
  call("POST", "/send", new FormData($("request-form"))).then(showResponse, (error) => {
    $("response").hidden = false;
    $("response-status").textContent = error.message;
    $("response-headers").replaceChildren();
    $("response-body").textContent = "";
  });
};

window.addEventListener("load", () => mermaid.run({ querySelector: "pre.mermaid" }));
