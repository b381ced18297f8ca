// The phone's side of workshop voting: plain JavaScript, no framework, nothing from outside.
"use strict";

const $ = (id) => document.getElementById(id);
let csrf = "";
let shown = null;        // id of the item on screen
let itemState = null;    // the latest state from the laptop
let chosen = null;       // index into the choices of the item on screen
let picks = new Map();   // candidate key -> text, on a prediction item
let source = null;       // the EventSource of live updates

function say(text) { $("status").textContent = text; }

async function call(path, body) {
  const options = { credentials: "same-origin", headers: {} };
  if (body !== undefined) {
    options.method = "POST";
    options.headers["Content-Type"] = "application/json";
    options.headers["X-Workbench-Token"] = csrf;
    options.body = JSON.stringify(body);
  }
  let response;
  try {
    response = await fetch(path, options);
  } catch (error) {
    return { ok: false, status: 0, data: { error: "The laptop cannot be reached. Check that " +
      "this phone is on the room's Wi-Fi, then try again." } };
  }
  let data = {};
  try { data = await response.json(); } catch (error) { data = {}; }
  return { ok: response.ok, status: response.status, data };
}

// -- joining -------------------------------------------------------------------------------

function showJoin(named, message) {
  $("item").hidden = true;
  $("join").hidden = false;
  $("name-row").hidden = !named;
  $("name").required = named;
  $("join-error").textContent = message || "";
  const code = new URLSearchParams(location.search).get("code");
  if (code && !$("code").value) { $("code").value = code; }
  (named && $("code").value ? $("name") : $("code")).focus();
}

async function join(event) {
  if (event) { event.preventDefault(); }
  $("join-button").disabled = true;
  const body = { code: $("code").value.trim() };
  if (!$("name-row").hidden) { body.name = $("name").value; }
  const answer = await call("/api/join", body);
  $("join-button").disabled = false;
  if (!answer.ok) {
    $("join-error").textContent = answer.data.error || "Joining failed: try again.";
    return;
  }
  history.replaceState(null, "", "/");   // the code stays out of the address bar
  $("join").hidden = true;
  render(answer.data);
  listen();
}

// -- live state ----------------------------------------------------------------------------

function listen() {
  if (source) { source.close(); }
  source = new EventSource("/api/events");
  source.addEventListener("state", (event) => { say(""); render(JSON.parse(event.data)); });
  source.onerror = () => {
    say("Reconnecting to the laptop…");
    if (source.readyState === EventSource.CLOSED) {   // refused: the session may have ended
      setTimeout(start, 3000);
    }
  };
}

function render(state) {
  csrf = state.csrf;
  itemState = state;
  const item = state.item;
  $("where").textContent = state.name ? `Voting as ${state.name}` : "Anonymous vote";
  $("item").hidden = false;
  if (item.id !== shown) { showItem(item, state.mine); }
  $("count").textContent = state.ballots === 1 ? "1 vote so far" : `${state.ballots} votes so far`;
  $("closed").hidden = !state.closed;
  enable();
}

function showItem(item, mine) {
  shown = item.id;
  chosen = null;
  picks = new Map();
  $("item-number").textContent = `Item ${item.number} of ${item.of}` +
    (item.section ? ` · ${item.section}` : "");
  $("item-title").textContent = item.title;
  $("saved").textContent = "";
  $("vote-error").textContent = "";
  $("note-saved").textContent = "";
  $("choices").replaceChildren();
  $("candidates").replaceChildren();
  $("search").value = "";
  const voting = item.type !== "laptop";
  $("laptop").hidden = voting;
  $("send").hidden = !voting;
  $("predict").hidden = item.type !== "predict";
  if (item.type === "predict") {
    showPredict(item, mine);
  } else if (voting) {
    item.choices.forEach((choice, index) => {
      const button = document.createElement("button");
      button.type = "button";
      button.setAttribute("role", "radio");
      button.setAttribute("aria-checked", "false");
      const name = document.createElement("strong");
      name.textContent = choice.name === String(choice.value) ? choice.name
        : `${choice.value}  ${choice.name}`;
      button.append(name);
      if (choice.detail) {
        const detail = document.createElement("span");
        detail.textContent = choice.detail;
        button.append(detail);
      }
      button.addEventListener("click", () => choose(index));
      $("choices").append(button);
      if (mine !== null && mine !== undefined && mine === choice.value) { chosen = index; }
    });
    markChoices();
    if (chosen !== null) { $("saved").textContent = savedText(); }
  }
}

function markChoices() {
  [...$("choices").children].forEach((button, index) => {
    button.setAttribute("aria-checked", String(index === chosen));
  });
}

function choose(index) {
  chosen = index;
  $("saved").textContent = "";
  markChoices();
  enable();
}

// -- predictions ---------------------------------------------------------------------------

function showPredict(item, mine) {
  $("predict-hint").textContent = `Pick up to ${item.picks}, then send.` +
    (item.search ? " Search the team by name." : "");
  $("search-row").hidden = !item.search;
  (mine || []).forEach((pick) => picks.set(pick.key, pick.text));
  if (!item.search) { listCandidates(item.candidates); }
  showPicks();
  if (picks.size) { $("saved").textContent = savedText(); }
}

function listCandidates(found) {
  $("candidates").replaceChildren(...found.map((candidate) => {
    const button = document.createElement("button");
    button.type = "button";
    button.textContent = candidate.text;
    button.setAttribute("aria-pressed", String(picks.has(candidate.key)));
    button.addEventListener("click", () => togglePick(candidate, button));
    return button;
  }));
}

function togglePick(candidate, button) {
  if (picks.has(candidate.key)) {
    picks.delete(candidate.key);
  } else if (picks.size < itemState.item.picks) {
    picks.set(candidate.key, candidate.text);
  } else {
    $("vote-error").textContent = `You can pick ${itemState.item.picks}: remove one first.`;
    return;
  }
  $("vote-error").textContent = "";
  $("saved").textContent = "";
  button.setAttribute("aria-pressed", String(picks.has(candidate.key)));
  showPicks();
  enable();
}

function showPicks() {
  $("picked-title").hidden = picks.size === 0;
  $("picked").replaceChildren(...[...picks].map(([key, text]) => {
    const row = document.createElement("li");
    const name = document.createElement("span");
    name.textContent = text;
    const remove = document.createElement("button");
    remove.type = "button";
    remove.textContent = "Remove";
    remove.setAttribute("aria-label", `Remove ${text}`);
    remove.addEventListener("click", () => {
      picks.delete(key);
      showPicks();
      [...$("candidates").children].forEach((b) => {
        if (b.textContent === text) { b.setAttribute("aria-pressed", "false"); }
      });
      enable();
    });
    row.append(name, remove);
    return row;
  }));
}

let searching = 0;
async function search() {
  const query = $("search").value.trim();
  const asked = ++searching;
  if (!query) { listCandidates([]); return; }
  const answer = await call(`/api/items/${shown}/search?q=${encodeURIComponent(query)}`);
  if (asked !== searching) { return; }   // a newer search is on its way
  if (!answer.ok) { $("vote-error").textContent = answer.data.error || "Search failed."; return; }
  listCandidates(answer.data.found);
  if (!answer.data.found.length) { $("vote-error").textContent = `Nobody matches “${query}”.`; }
  else { $("vote-error").textContent = ""; }
}

// -- sending -------------------------------------------------------------------------------

function savedText() {
  return "Your vote is saved. You can change it until the votes are revealed.";
}

function enable() {
  const closed = !itemState || itemState.closed;
  const ready = itemState && (itemState.item.type === "predict" ? picks.size > 0 : chosen !== null);
  $("send").disabled = closed || !ready;
  [...$("choices").children, ...$("candidates").children].forEach((b) => { b.disabled = closed; });
  $("search").disabled = closed;
}

async function send() {
  const item = itemState.item;
  const body = item.type === "predict" ? { picks: [...picks.keys()] }
    : { value: item.choices[chosen].value };
  $("send").disabled = true;
  const answer = await call(`/api/items/${item.id}/vote`, body);
  if (answer.ok) {
    $("saved").textContent = savedText();
    $("vote-error").textContent = "";
    $("saved").scrollIntoView({ block: "nearest" });
  } else {
    $("saved").textContent = "";
    $("vote-error").textContent = answer.data.error || "The vote was not saved: try again.";
  }
  enable();
}

async function addNote() {
  const text = $("note").value.trim();
  if (!text) { $("note-saved").textContent = "Write the note first."; return; }
  $("note-button").disabled = true;
  const answer = await call(`/api/items/${shown}/note`, { text });
  $("note-button").disabled = false;
  if (answer.ok) {
    $("note").value = "";
    $("note-saved").textContent = "Note added.";
  } else {
    $("note-saved").textContent = answer.data.error || "The note was not saved: try again.";
  }
}

// -- start ---------------------------------------------------------------------------------

async function start() {
  const answer = await call("/api/state");
  if (answer.status === 401) {
    const code = new URLSearchParams(location.search).get("code");
    showJoin(answer.data.named, "");
    if (code && !answer.data.named) { join(); }
    return;
  }
  if (!answer.ok) { say(answer.data.error || "The laptop did not answer: reload the page."); return; }
  render(answer.data);
  listen();
}

$("join-form").addEventListener("submit", join);
$("send").addEventListener("click", send);
$("note-button").addEventListener("click", addNote);
$("search").addEventListener("input", search);
start();
