// AgentLink reference toolbar. It talks to the bridge through the SDK and to
// its host page (the CRM) through window.postMessage; docs/crm-admin.md
// documents both message formats. Query parameters:
//   parent=https://crm.example.com  origin of the host page (postMessage)
//   agentId=1001&extension=5001     prefill the sign-in form
import { AgentLink } from "/sdk/agentlink.js";

const $ = (id) => document.getElementById(id);
const params = new URLSearchParams(location.search);
const parentOrigin = params.get("parent") || "";
const framed = window.parent !== window;

// lease: with the CRM open in several tabs, only the tab holding the
// screen-pop lease pops records and reports ended calls for logging.
// embeddedBy: the CRM page's scopes (bridge.origin_scopes) apply to what it
// may ask of this toolbar.
const al = new AgentLink({
  url: `ws://${location.host}/v1/bridge`, agentId: params.get("agentId") || "", lease: true,
  embeddedBy: framed ? parentOrigin : "",
});
const model = { agent: null, dialogs: new Map(), reasons: { NOT_READY: [], LOGOUT: [] }, wrapUps: [], system: null };

// [Finesse action, label, class, run, the scope it needs]
const ACTIONS = [
  ["ANSWER", "Answer", "primary", (d) => al.answer(d.id), "calls"],
  ["HOLD", "Hold", "", (d) => al.hold(d.id), "calls"],
  ["RETRIEVE", "Retrieve", "", (d) => al.retrieve(d.id), "calls"],
  ["CONSULT_CALL", "Consult", "", (d, c) => al.consult(d.id, target(c)), "dial"],
  ["TRANSFER", "Transfer", "", (d) => al.transfer(d.id), "calls"],
  ["CONFERENCE", "Conference", "", (d) => al.conference(d.id), "calls"],
  ["TRANSFER_SST", "Blind transfer", "", (d, c) => al.singleStepTransfer(d.id, target(c)), "dial"],
  ["DROP", "End", "danger", (d) => al.release(d.id), "calls"],
];

// can reports whether this page's origin may use a scope (bridge.origin_scopes).
// A bridge that does not report scopes allows everything.
function can(scope) {
  const scopes = al.hello && al.hello.scopes;
  return !scopes || scopes.includes(scope);
}

function target(card) {
  const n = card.querySelector(".call-target").value.trim();
  if (!n) {
    card.querySelector(".call-number").hidden = false;
    card.querySelector(".call-target").focus();
    throw new Error("Enter the number to consult or transfer to.");
  }
  return n;
}

// run performs a command and shows its failure; buttons stay usable.
async function run(what, fn) {
  try {
    await fn();
    notice("");
  } catch (e) {
    notice(`${what} failed: ${e.message}${e.code ? ` (${e.code})` : ""}`, true);
  }
}

function notice(text, isError) {
  const n = $("notice");
  n.textContent = text;
  n.hidden = !text;
  n.classList.toggle("error", !!isError);
}

// ---- connection ----
al.on("state", (s) => {
  $("conn").textContent = s.message || s.state;
  $("conn-dot").className = "dot " + s.state;
  if (s.state === "blocked") notice(s.message, true);
  else if (s.state === "open") notice("");
  renderOwner();
  render();
});
al.on("snapshot", (snap) => {
  model.agent = snap.agent;
  model.system = snap.system;
  model.dialogs = new Map(snap.dialogs.map((d) => [d.id, d]));
  if (snap.reasonCodes) Object.assign(model.reasons, snap.reasonCodes);
  if (snap.wrapUpReasons) model.wrapUps = snap.wrapUpReasons;
  render();
});
al.on("System", (s) => { model.system = s; renderSystem(); });
al.on("AgentState", (a) => {
  const wasIn = model.agent && model.agent.loggedIn;
  model.agent = a;
  if (a.loggedIn && !wasIn) loadLists();
  post({ type: "agentlink:state", agent: a });
  render();
});
al.on("Dialog", (d) => {
  const isNew = !model.dialogs.has(d.id);
  model.dialogs.set(d.id, d);
  if (isNew && popsHere()) post({ type: "agentlink:screenpop", dialog: d });
  else if (popsHere()) post({ type: "agentlink:dialog", dialog: d }); // answered, held, …: CRM adapters follow the call
  render();
});
al.on("DialogEnded", (s) => {
  model.dialogs.delete(s.id);
  if (popsHere()) post({ type: "agentlink:callended", summary: s });
  render();
});
al.on("Error", (e) => notice(`Finesse: ${e.type || ""} ${e.message || ""}`.trim(), true));

// ---- screen-pop lease ----
// A bridge without leases never sends Owner: then every tab pops, as before.
function popsHere() {
  return !al.owner || al.isOwner;
}

al.on("Owner", () => renderOwner());

function renderOwner() {
  $("owner").hidden = !al.owner || al.isOwner || al.state !== "open";
}

function claim() {
  if (al.state === "open" && al.owner && !al.isOwner) run("Use this tab", () => al.claimOwner());
}

$("claim-btn").addEventListener("click", claim);
// The tab the agent is looking at takes the screen pops: the one they come
// back to, or the one whose toolbar they use.
document.addEventListener("visibilitychange", () => {
  if (document.visibilityState === "visible") claim();
});
document.addEventListener("pointerdown", claim, { capture: true });
document.addEventListener("keydown", claim, { capture: true });

async function loadLists() {
  try {
    const [nr, lo, wu] = await Promise.all([al.getReasonCodes("NOT_READY"), al.getReasonCodes("LOGOUT"), al.getWrapUpReasons()]);
    model.reasons.NOT_READY = nr.reasonCodes;
    model.reasons.LOGOUT = lo.reasonCodes;
    model.wrapUps = wu.wrapUpReasons;
    render();
  } catch (e) {
    console.warn("agentlink toolbar: lists unavailable", e);
  }
}

// ---- rendering ----
function renderSystem() {
  const s = model.system;
  $("node").textContent = !s ? "" : s.status === "IN_SERVICE" ? `Finesse ${s.node || ""}` : "Finesse out of service";
}

function fillSelect(sel, items, label) {
  const cur = sel.value;
  sel.replaceChildren(...items.map((it) => new Option(label(it), it.id ?? it.label)));
  if ([...sel.options].some((o) => o.value === cur)) sel.value = cur;
}

function render() {
  renderSystem();
  const open = al.state === "open";
  const a = model.agent;
  const inSession = open && a && a.loggedIn;
  $("login").hidden = !open || inSession || !can("state");
  $("agent").hidden = !inSession;
  $("dial").hidden = !inSession || !can("dial");
  $("state-controls").hidden = !can("state");
  $("signout").hidden = !can("state");
  if (!inSession) {
    $("calls").replaceChildren();
    return;
  }
  $("agent-state").textContent = a.state.replace("_", " ");
  $("agent-state").className = "state " + a.state;
  $("agent-reason").textContent = a.reasonLabel || "";
  $("agent-pending").hidden = !a.pendingState;
  $("agent-pending").textContent = a.pendingState ? `Next: ${a.pendingState.replace("_", " ")}` : "";
  fillSelect($("notready-reason"), model.reasons.NOT_READY || [], (r) => r.label);
  fillSelect($("logout-reason"), model.reasons.LOGOUT || [], (r) => r.label);
  fillSelect($("wrapup-reason"), model.wrapUps || [], (w) => w.label);
  $("wrapup").hidden = !(a.state === "WORK" || a.state === "WORK_READY") || !model.wrapUps.length || !can("calls");
  renderCalls();
  tick();
}

function renderCalls() {
  const box = $("calls");
  const keep = new Set();
  for (const d of model.dialogs.values()) {
    keep.add(d.id);
    let card = box.querySelector(`[data-id="${CSS.escape(d.id)}"]`);
    if (!card) {
      card = $("call-card").content.firstElementChild.cloneNode(true);
      card.dataset.id = d.id;
      card.dataset.since = Date.now();
      card.querySelector(".send-dtmf").addEventListener("click", () =>
        run("Tones", () => al.sendDTMF(card.dataset.id, card.querySelector(".call-digits").value.trim())));
      box.append(card);
    }
    fillCard(card, d);
  }
  for (const card of [...box.children]) if (!keep.has(card.dataset.id)) card.remove();
}

function fillCard(card, d) {
  const mine = d.participants.find((p) => p.state && p.address === (model.agent && model.agent.extension));
  const other = d.participants.find((p) => p !== mine);
  card.setAttribute("aria-label", `Call with ${other ? other.address : d.from}`);
  card.querySelector(".call-party").textContent = other ? other.address : d.from;
  card.querySelector(".call-state").textContent = (d.agentState || d.state).replace("_", " ");
  card.querySelector(".call-meta").textContent = [d.callType, d.queueName, d.dnis && `DNIS ${d.dnis}`].filter(Boolean).join(" · ");
  const vars = card.querySelector(".vars");
  vars.replaceChildren(...Object.entries(d.variables || {}).flatMap(([k, v]) => {
    const dt = document.createElement("dt");
    const dd = document.createElement("dd");
    dt.textContent = k;
    dd.textContent = v;
    return [dt, dd];
  }));
  const acts = card.querySelector(".actions");
  acts.replaceChildren(...ACTIONS.filter(([a, , , , scope]) => d.actions.includes(a) && can(scope)).map(([a, label, cls, fn]) => {
    const b = document.createElement("button");
    b.type = "button";
    b.textContent = label;
    b.dataset.action = a;
    if (cls) b.className = cls;
    b.addEventListener("click", () => run(label, () => fn(d, card)));
    return b;
  }));
  const needsNumber = (d.actions.includes("CONSULT_CALL") || d.actions.includes("TRANSFER_SST")) && can("dial");
  card.querySelector(".call-number").hidden = !needsNumber;
  card.querySelector(".call-dtmf").hidden = !d.actions.includes("SEND_DTMF") || !can("calls");
}

function fmt(ms) {
  const s = Math.max(0, Math.floor(ms / 1000));
  const h = Math.floor(s / 3600);
  const mm = String(Math.floor((s % 3600) / 60)).padStart(h ? 2 : 1, "0");
  return (h ? h + ":" : "") + mm + ":" + String(s % 60).padStart(2, "0");
}

function tick() {
  const a = model.agent;
  if (a && a.since) $("agent-timer").textContent = fmt(Date.now() - Date.parse(a.since));
  for (const card of $("calls").children) card.querySelector(".call-timer").textContent = fmt(Date.now() - Number(card.dataset.since));
}
setInterval(tick, 1000);

// ---- controls ----
$("login").addEventListener("submit", (e) => {
  e.preventDefault();
  const agentId = $("login-agent").value.trim();
  al.agentId = agentId;
  run("Sign in", () => al.login({ agentId, extension: $("login-extension").value.trim(), password: $("login-password").value }))
    .then(() => { $("login-password").value = ""; });
});
$("ready-btn").addEventListener("click", () => run("Ready", () => al.setState("READY")));
$("notready-btn").addEventListener("click", () => run("Not Ready", () => al.setState("NOT_READY", $("notready-reason").value)));
$("logout-btn").addEventListener("click", () => run("Sign out", () => al.logout($("logout-reason").value)));
$("wrapup-btn").addEventListener("click", () => run("Wrap-up", () => al.setWrapUp(undefined, selectedLabel($("wrapup-reason")))));
$("dial-form").addEventListener("submit", (e) => {
  e.preventDefault();
  dial($("dial-number").value);
});

function selectedLabel(sel) {
  return sel.selectedOptions[0] ? sel.selectedOptions[0].text : "";
}

function dial(number) {
  const n = String(number || "").trim();
  if (!n) return notice("Enter a number to call.", true);
  return run("Call", () => al.makeCall(n));
}

for (const k of ["1", "2", "3", "4", "5", "6", "7", "8", "9", "*", "0", "#"]) {
  const b = document.createElement("button");
  b.type = "button";
  b.textContent = k;
  b.setAttribute("aria-label", `Digit ${k}`);
  b.addEventListener("click", () => {
    const active = [...model.dialogs.values()].find((d) => d.agentState === "ACTIVE" && d.actions.includes("SEND_DTMF"));
    if (active) run("Tone", () => al.sendDTMF(active.id, k));
    else $("dial-number").value += k;
  });
  $("pad").append(b);
}

// ---- host page (postMessage) ----
// Only the framing parent may talk to us, and only from the configured
// origin; the bridge's CSP lets only allowed CRM origins frame the toolbar.
function post(msg) {
  if (framed && parentOrigin) window.parent.postMessage(msg, parentOrigin);
}

window.addEventListener("message", (e) => {
  if (!framed || e.source !== window.parent || !parentOrigin || e.origin !== parentOrigin) return;
  const m = e.data || {};
  if (m.type === "agentlink:dial") {
    $("dial-number").value = m.number || "";
    dial(m.number);
  } else if (m.type === "agentlink:hello") {
    post({ type: "agentlink:ready", state: al.state, agent: model.agent });
  }
});

$("login-agent").value = params.get("agentId") || "";
$("login-extension").value = params.get("extension") || "";
al.start();
post({ type: "agentlink:ready", state: al.state });
