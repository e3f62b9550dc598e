// AgentLink reference toolbar. It talks to the bridge through the SDK and to
// its host page (the CRM) through window.postMessage; docs/crm-admin.md
// documents both message formats. Query parameters:
//   parent=https://crm.example.com  origin of the host page (postMessage)
//   agentId=1001&extension=5001     prefill the sign-in form
//   bridge=127.0.0.1:28445          one bridge address instead of the port range
// Hosted by the CRM (docs/crm-admin.md) it pairs with the agent's AgentLink
// on first use and refuses a bridge that cannot prove itself. Served by the
// bridge itself (the demo) it talks to the port it came from: there a proof
// would prove nothing, since a squatter on that port would serve this file.
import { AgentLink } from "../sdk/agentlink.js";

const $ = (id) => document.getElementById(id);
const params = new URLSearchParams(location.search);
const parentOrigin = params.get("parent") || "";
const framed = window.parent !== window;

// lease: with the CRM open in several tabs, only the tab holding the
// screen-pop lease pops records and reports ended calls for logging.
// embeddedBy: the CRM page's scopes (bridge.origin_scopes) apply to what it
// may ask of this toolbar.
const servedByBridge = await fetch("/healthz", { cache: "no-store" })
  .then((r) => (r.ok ? r.json() : {})).then((j) => j.app === "agentlink").catch(() => false);
const bridgeParam = params.get("bridge") || "";
const portsParam = (params.get("ports") || "").split(",").map(Number).filter((p) => p > 0 && p < 65536);
const al = new AgentLink({
  ports: portsParam.length ? portsParam : undefined,
  url: servedByBridge ? `ws://${location.host}/v1/bridge` : bridgeParam ? `ws://${bridgeParam}/v1/bridge` : "",
  requireProof: !servedByBridge,
  agentId: params.get("agentId") || "", lease: true,
  embeddedBy: framed && servedByBridge ? parentOrigin : "",
});
const model = { agent: null, dialogs: new Map(), reasons: { NOT_READY: [], LOGOUT: [] }, wrapUps: [], system: null };
// wrap: the call the wrap-up picker is for and the reason saved for it. A new
// call starts with nothing picked, so no reason carries over.
const wrap = { callId: "", saved: "" };

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

// run performs a command and shows its failure in agent words; the code and
// the technical message go to the console (the bridge's audit trail and the
// Connector Monitor have them too). Buttons stay usable. It resolves to
// whether the command worked.
async function run(what, fn) {
  return (await attempt(what, fn)).ok;
}

// attempt is run that also tells what went wrong, for answers to the host
// page: { ok, code, message } with the message in agent words.
async function attempt(what, fn) {
  try {
    await fn();
    notice("");
    return { ok: true };
  } catch (e) {
    console.warn(`agentlink toolbar: ${what} failed`, e.code || "", e.message, e.finesse || "");
    const words = agentWords(what, e);
    notice(words, true);
    return { ok: false, code: e.code || "bad_request", message: words };
  }
}

// STATE_WORDS name agent states as the softphone does (ui/present.go).
const STATE_WORDS = {
  LOGOUT: "Logged out", LOGIN: "Signing in", NOT_READY: "Not Ready", READY: "Ready", RESERVED: "Reserved",
  RESERVED_OUTBOUND: "Reserved (outbound)", RESERVED_OUTBOUND_PREVIEW: "Reserved (preview)", TALKING: "Talking",
  HOLD: "On hold", WORK: "Wrap-up", WORK_READY: "Wrap-up, then Ready", UNKNOWN: "Unknown",
};
// CALL_WORDS name the agent's part in a call.
const CALL_WORDS = {
  ALERTING: "Ringing", INITIATING: "Dialling", INITIATED: "Dialling", ACTIVE: "Talking", HELD: "On hold",
  WRAP_UP: "Wrap-up", DROPPED: "Ended", FAILED: "Failed",
};

function stateWord(s) {
  return STATE_WORDS[s] || (s ? s.toLowerCase().replace(/_/g, " ") : "");
}

function callWord(s) {
  return CALL_WORDS[s] || (s ? s.toLowerCase().replace(/_/g, " ") : "");
}

// callTypeWord is the call's direction as the softphone says it (ui/callcard.go).
function callTypeWord(t) {
  if (!t || t === "ACD_IN" || t === "PREROUTE_ACD_IN") return "Inbound";
  if (t === "OUT" || t === "AGENT_INSIDE" || t === "OUTBOUND") return "Outbound";
  if (t === "CONSULT") return "Consult";
  return t.toLowerCase().replace(/_/g, " ");
}

// customerOf names the other party of a call and its direction: on an
// outbound call the agent's own extension is "from", so the customer is the
// number dialled.
function customerOf(d) {
  const ext = model.agent && model.agent.extension;
  const other = d.participants.find((p) => p.address && p.address !== ext);
  const outbound = callTypeWord(d.callType) === "Outbound" || (ext && d.from === ext);
  const number = other ? other.address : outbound ? (d.dialedNumber || d.to) : d.from;
  return { number: number || "", direction: outbound ? "outbound" : "inbound" };
}

// WORDS are the bridge's error codes (docs/bridge-protocol.md) in agent words.
const WORDS = {
  not_connected: "AgentLink is not connected. Check that it is running.",
  closed: "The connection to AgentLink dropped. It reconnects by itself; try again in a moment.",
  not_logged_in: "Sign in first.",
  agent_mismatch: "Another agent is signed in on this computer's AgentLink. Sign them out first.",
  no_such_dialog: "That call has already ended.",
  action_not_allowed: "Finesse does not allow that on this call right now.",
  wrong_credentials: "Wrong agent ID or password. Check both and try again.",
  account_locked: "Your account is locked after too many wrong passwords. Ask your supervisor to unlock it.",
  finesse_unreachable: "AgentLink cannot reach Finesse. It keeps trying; check your network or VPN if this lasts.",
  finesse_out_of_service: "Finesse is out of service. AgentLink is reconnecting; try again in a minute.",
  untrusted_certificate: "This computer does not trust the Finesse server's certificate. Ask IT.",
  timeout: "Finesse did not confirm it in time. Check the state shown before trying again.",
  rate_limited: "Too many requests at once. Try again.",
  forbidden_scope: "This page is not allowed to do that. Ask your CRM administrator.",
  bad_request: "Check what you entered and try again.",
  secure_password_unavailable: "Secure sign-in is not set up in AgentLink. Ask your administrator.",
  internal: "Something went wrong in AgentLink. The details are in its log.",
  password_not_accepted: "Passwords are not typed here: AgentLink uses its saved one, or asks in its own window.",
  pairing_required: "This site is not paired with AgentLink yet. Reload the page to pair.",
  proof_required: "This site's pairing with AgentLink needs checking. Reload the page.",
  proof_failed: "This site's pairing with AgentLink did not match. Reload the page to pair again.",
  pairing_denied: "The pairing was refused in AgentLink.",
};

// agentWords explains a failed command: what the agent can do about it.
function agentWords(what, e) {
  const a = model.agent;
  const refusedState = e.code === "action_not_allowed" || (e.code === "finesse_error" && e.finesse && e.finesse.type === "Invalid State");
  if (what === "Call" && refusedState && a && a.state === "READY") return "Go Not Ready to place a call.";
  if (what === "Ready" && refusedState && a && (a.state === "TALKING" || a.state === "HOLD")) return "You can go Ready when the call ends.";
  if (e.code === "finesse_error") return `${what} failed: ${finesseWords(e.finesse)}`;
  if (!e.code && e.message) return e.message; // the toolbar's own hints ("Enter the number …")
  return `${what} failed: ${WORDS[e.code] || WORDS.internal}`;
}

function finesseWords(f) {
  switch (f && f.type) {
    case "Invalid State": return "Finesse does not allow that in your current state.";
    case "Invalid Destination": return "Finesse cannot reach that number. Check it and try again.";
    case "Invalid Input": case "Parameter Missing": case "Bad Request": return "Finesse did not accept what was sent. Check it and try again.";
  }
  return "Finesse refused it. The details are in the AgentLink log.";
}

function notice(text, isError) {
  const n = $("notice");
  n.textContent = text;
  n.hidden = !text;
  n.classList.toggle("error", !!isError);
}

// ---- connection ----
al.on("state", (s) => {
  $("conn").textContent = s.state === "pairing" ? "Not paired with AgentLink yet" : s.message || s.state;
  $("conn-dot").className = "dot " + s.state;
  $("pair").hidden = s.state !== "pairing";
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
  if (isNew && popsHere()) post({ type: "agentlink:screenpop", dialog: d, ...customerOf(d) });
  else if (popsHere()) post({ type: "agentlink:dialog", dialog: d }); // answered, held, …: CRM adapters follow the call
  render();
});
al.on("DialogEnded", (s) => {
  model.dialogs.delete(s.id);
  if (!wrap.callId) wrap.callId = s.id; // a call that ended before the picker followed it
  // outbox: AgentLink keeps ended calls until the CRM acknowledges them and
  // offers them as agentlink:calllog, with the wrap-up reason: log those.
  if (popsHere()) post({ type: "agentlink:callended", summary: s, outbox: al.keepsCallLog });
  render();
});
// A reason chosen after the call ended and Finesse removed it: the CRM logs
// it against the same summary id (docs/crm-admin.md).
al.on("WrapUp", (s) => {
  if (popsHere()) post({ type: "agentlink:wrapup", summary: s });
});
// An ended call waiting to be logged (only the lease holder gets them):
// the CRM adapter logs it and answers agentlink:ackcalllog once the CRM
// confirmed the save (docs/crm-admin.md).
al.on("CallLog", (r) => {
  if (popsHere()) post({ type: "agentlink:calllog", record: r });
});
// Queue figures in the header; a supervisor's team message in the notice
// line for 20 s (the softphone keeps it until it expires).
function renderQueues(qs) {
  $("queues").textContent = (qs || []).map((q) => `${q.name} ${q.callsWaiting < 0 ? "–" : q.callsWaiting + " waiting"}`).join(" | ");
}
al.on("Queues", (d) => renderQueues(d.queues));
al.on("snapshot", (snap) => renderQueues(snap.queues));
al.on("TeamMessage", (m) => {
  if (m.deleted || !m.content) return;
  const text = `${m.from ? m.from + ": " : ""}${m.content}`;
  notice(text);
  setTimeout(() => { if ($("notice").textContent === text) notice(""); }, 20000);
});
al.on("Error", (e) => {
  console.warn("agentlink toolbar: Finesse error", e);
  notice(`Finesse refused a request: ${finesseWords(e)}`, true);
});

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
// Back/forward cache: a page the browser keeps hidden for Back must not keep
// the screen-pop lease (the bridge hands it on when this client goes), and
// it reconnects with fresh state when the agent comes back to it.
addEventListener("pagehide", () => al.stop());
addEventListener("pageshow", (e) => { if (e.persisted) al.start(); });
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

function fillSelect(sel, items, label, placeholder) {
  const cur = sel.value;
  const opts = items.map((it) => new Option(label(it), it.id ?? it.label));
  if (placeholder) opts.unshift(new Option(placeholder, ""));
  sel.replaceChildren(...opts);
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
    $("wrapup").hidden = true;
    return;
  }
  $("agent-state").textContent = stateWord(a.state);
  $("agent-state").className = "state " + a.state;
  // Ready is offered from Not Ready and wrap-up only, as in the softphone.
  $("ready-btn").disabled = !["NOT_READY", "WORK", "WORK_READY"].includes(a.state);
  // The Not Ready reason the agent is in, as in the softphone.
  $("agent-reason").textContent = a.state === "NOT_READY" || a.state === "LOGOUT" ? reasonOf(a) : "";
  $("agent-pending").hidden = !a.pendingState;
  $("agent-pending").textContent = a.pendingState ? `Next: ${stateWord(a.pendingState)}` : "";
  fillSelect($("notready-reason"), model.reasons.NOT_READY || [], (r) => r.label);
  fillSelect($("logout-reason"), model.reasons.LOGOUT || [], (r) => r.label);
  renderWrapUp(a);
  renderCalls();
  tick();
}

// reasonOf is the label of the agent's reason code, looked up in the
// reason lists when the state carries only its id.
function reasonOf(a) {
  if (a.reasonLabel) return a.reasonLabel;
  if (!a.reasonCodeId) return "";
  const r = [...(model.reasons.NOT_READY || []), ...(model.reasons.LOGOUT || [])].find((x) => String(x.id) === String(a.reasonCodeId));
  return r ? r.label : "";
}

// currentCall is the customer call the agent is on (the oldest dialog they
// talk, hold or wrap up in), or undefined.
function currentCall() {
  return [...model.dialogs.values()].find((d) =>
    ["ACTIVE", "HELD", "WRAP_UP"].includes(d.agentState) && d.actions.includes("UPDATE_CALL_DATA"));
}

// renderWrapUp shows the reason picker during the call (the reason goes to
// Finesse at once) and in wrap-up, for one call at a time.
function renderWrapUp(a) {
  const call = currentCall();
  if (call && call.id !== wrap.callId) {
    wrap.callId = call.id;
    wrap.saved = "";
    $("wrapup-reason").value = "";
  }
  const wrapping = a.state === "WORK" || a.state === "WORK_READY";
  fillSelect($("wrapup-reason"), model.wrapUps || [], (w) => w.label, "Choose a reason");
  $("wrapup-label").textContent = wrapping ? "Wrap-up" : "Wrap-up reason";
  $("wrapup-saved").hidden = !wrap.saved;
  $("wrapup-saved").textContent = wrap.saved ? `Saved: ${wrap.saved}` : "";
  $("wrapup").hidden = !(wrapping || call) || !wrap.callId || !model.wrapUps.length || !can("calls");
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
      const digits = card.querySelector(".call-digits");
      const sendTones = async () => {
        const v = digits.value.trim();
        if (!v) return notice("Type the digits to send first.", true);
        if (await run("Tones", () => al.sendDTMF(card.dataset.id, v))) {
          digits.value = "";
          notice(`Tones sent: ${v}`);
        }
      };
      card.querySelector(".send-dtmf").addEventListener("click", sendTones);
      digits.addEventListener("keydown", (e) => { if (e.key === "Enter") { e.preventDefault(); sendTones(); } });
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
  card.querySelector(".call-state").textContent = callWord(d.agentState || d.state);
  // The timer is the call's total time from AgentLink's session: since the
  // agent answered (or since the call appeared while it rings), so it
  // survives hold, a reload and a failover, and never starts at the draw.
  card.dataset.since = Date.parse(d.answeredAt || d.startedAt || "") ||
    (mine && mine.since && Date.parse(mine.since)) || card.dataset.since || Date.now();
  card.querySelector(".call-meta").textContent = [callTypeWord(d.callType), d.queueName, d.dnis && `DNIS ${d.dnis}`].filter(Boolean).join(" · ");
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

// ---- pairing ----
al.on("pairing", (p) => {
  $("pair-msg").textContent = p.message;
  $("pair-error").hidden = true;
  $("pair-code").value = "";
  $("pair").hidden = false;
});
$("pair").addEventListener("submit", async (e) => {
  e.preventDefault();
  $("pair-btn").disabled = true;
  $("pair-error").hidden = true;
  try {
    await al.pair($("pair-code").value);
    $("pair").hidden = true;
  } catch (err) {
    $("pair-error").textContent = err.message;
    $("pair-error").hidden = false;
  } finally {
    $("pair-btn").disabled = false;
  }
});

// ---- controls ----
$("login").addEventListener("submit", async (e) => {
  e.preventDefault();
  const agentId = $("login-agent").value.trim();
  al.agentId = agentId;
  try {
    await al.login({ agentId, extension: $("login-extension").value.trim() });
    notice("");
  } catch (err) {
    console.warn("agentlink toolbar: Sign in failed", err.code || "", err.message);
    // AgentLink has no saved password and opened its own sign-in window.
    if (err.code === "sign_in_in_app") notice("Type your password in the AgentLink window that just opened. This toolbar follows once you are signed in.", false);
    else notice(agentWords("Sign in", err), true);
  }
});
$("ready-btn").addEventListener("click", () => run("Ready", () => al.setState("READY")));
$("notready-btn").addEventListener("click", () => run("Not Ready", () => al.setState("NOT_READY", $("notready-reason").value)));
$("logout-btn").addEventListener("click", () => run("Sign out", () => al.logout($("logout-reason").value)));
$("wrapup-btn").addEventListener("click", async () => {
  const reason = $("wrapup-reason").value ? selectedLabel($("wrapup-reason")) : "";
  if (!reason) return notice("Choose a wrap-up reason first.", true);
  const id = wrap.callId;
  if (await run("Wrap-up", () => al.setWrapUp(id || undefined, reason)) && wrap.callId === id) {
    wrap.saved = reason;
    render();
  }
});
$("dial-form").addEventListener("submit", (e) => {
  e.preventDefault();
  dial($("dial-number").value);
});

function selectedLabel(sel) {
  return sel.selectedOptions[0] ? sel.selectedOptions[0].text : "";
}

// dial places a call; it resolves to attempt's answer.
async function dial(number) {
  const n = String(number || "").trim();
  if (!n) {
    notice("Enter a number to call.", true);
    return { ok: false, code: "bad_request", message: "Enter a number to call." };
  }
  return attempt("Call", () => al.makeCall(n));
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
    // The host page learns whether the call was placed, in agent words
    // (docs/crm-admin.md: agentlink:dialresult).
    $("dial-number").value = m.number || "";
    dial(m.number).then((r) => post({ type: "agentlink:dialresult", number: String(m.number || ""), ...r }));
  } else if (m.type === "agentlink:ackcalllog") {
    const id = String(m.id || "");
    al.ackCallLog(id, String(m.crmRef || "")).then(
      (r) => post({ type: "agentlink:calllogacked", id, ok: true, already: !!r.already }),
      (e) => post({ type: "agentlink:calllogacked", id, ok: false, code: e.code || "", message: e.message || String(e) }));
  } else if (m.type === "agentlink:hello") {
    post({ type: "agentlink:ready", state: al.state, agent: model.agent });
  }
});

$("login-agent").value = params.get("agentId") || "";
$("login-extension").value = params.get("extension") || "";
al.start();
post({ type: "agentlink:ready", state: al.state });
