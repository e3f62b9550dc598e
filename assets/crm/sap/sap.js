// AgentLink for SAP Sales Cloud / Service Cloud (C4C) Live Activity and
// Agent Desktop: the CTI widget page. It embeds the reference toolbar and
// turns its calls into C4C's documented phone-event payloads, posted to
// window.parent (C4C): Type CALL, EventType INBOUND/OUTBOUND, Action NOTIFY
// on ringing, ACCEPT on answer, END at the end, with ANI, DNIS, an
// ExternalReferenceID (≤ 35 letters and digits, from the Finesse dialog id)
// and ExternalOriginalReferenceID on a call transferred in. C4C identifies
// the caller from ANI (or the mapped fields) and pops the Live Activity
// itself. docs/crm/sap.md is the admin guide. Query parameters:
//   parent=https://myXXXXXX.crm.ondemand.com   C4C's origin (required)
//   map={"user.customer.id":"CustomerID"}       call/ECC variable -> payload field
//   format=xml|json                             payload form; default xml
//   popOn=inbound,outbound                      which calls NOTIFY; default both
//   agentId=, extension=                        prefill the toolbar's sign-in
import { AdapterCore, fromToolbar, loadDialPlan } from "/sdk/adapter.js";

const params = new URLSearchParams(location.search);
const parentOrigin = params.get("parent") || "";
const format = params.get("format") === "json" ? "json" : "xml";
const popOn = (params.get("popOn") || "inbound,outbound").split(",").map((s) => s.trim());
const $ = (id) => document.getElementById(id);

function parseMap(raw) {
  try {
    const m = JSON.parse(raw || "{}");
    return m && typeof m === "object" && !Array.isArray(m) ? m : {};
  } catch (e) {
    show(`map is not JSON: ${e.message}`, true);
    return {};
  }
}
const fieldMap = parseMap(params.get("map"));

function show(text, isError) {
  const li = document.createElement("li");
  li.textContent = `${new Date().toLocaleTimeString()} ${text}`;
  if (isError) li.className = "error";
  $("activity").prepend(li);
  while ($("activity").children.length > 30) $("activity").lastChild.remove();
}

const xmlEscape = (s) => String(s).replace(/[<>&'"]/g, (c) => `&#${c.charCodeAt(0)};`);

/** payload builds C4C's phone event; empty fields are left out. */
export function payload(call, action, extra) {
  const p = {
    Type: "CALL", EventType: call.direction === "outbound" ? "OUTBOUND" : "INBOUND", Action: action,
    ANI: call.number, DNIS: call.dnis, ExternalReferenceID: call.ref,
    ExternalOriginalReferenceID: call.originalRef,
  };
  const vars = Object.assign({}, call.variables, extra);
  for (const [name, field] of Object.entries(fieldMap)) {
    if (vars[name] != null && vars[name] !== "") p[field] = String(vars[name]);
  }
  for (const k of Object.keys(p)) if (p[k] === "" || p[k] == null) delete p[k];
  return p;
}

function send(p) {
  if (!parentOrigin || window.parent === window) return;
  const body = format === "json" ? { payload: p } :
    "<?xml version='1.0' encoding='utf-8' ?><payload>" +
    Object.entries(p).map(([k, v]) => `<${k}>${xmlEscape(v)}</${k}>`).join("") + "</payload>";
  window.parent.postMessage(body, parentOrigin);
  show(`${p.Action} ${p.EventType} ${p.ANI || ""} (${p.ExternalReferenceID})`);
}

const sap = {
  callStarted(call) {
    if (!call.leg && popOn.includes(call.direction)) send(payload(call, "NOTIFY"));
  },
  callAnswered(call) {
    if (!call.leg) send(payload(call, "ACCEPT"));
  },
  // C4C confirms nothing back; a posted END is what it gets. No findLog:
  // the widget has no C4C API to look an activity up with (it only posts
  // to window.parent). Posting is synchronous and the core remembers the
  // call in localStorage in the same script turn, so a reload before the
  // AckCallLog does not post END again; after a crash in that turn, C4C's
  // one phone call activity per ExternalReferenceID (made when the call
  // was notified) makes a repeated END name the same activity.
  async saveLog(log, call) {
    send(payload(call, "END", { wrapUpReason: log.disposition, duration: String(log.durationSeconds) }));
    return call.ref;
  },
  error(what, e) { show(`${what}: ${e.message || e}`, true); },
};

// numberFrom reads a click-to-dial request C4C posts to the widget: an
// object or JSON string, maybe wrapped in {payload}, or the XML form.
export function numberFrom(data) {
  let m = data;
  if (typeof m === "string") {
    const s = m.trim();
    if (s.startsWith("<")) {
      const doc = new DOMParser().parseFromString(s, "application/xml");
      m = {};
      for (const el of doc.documentElement ? doc.documentElement.children : []) m[el.tagName] = el.textContent;
    } else {
      try { m = JSON.parse(s); } catch { return ""; }
    }
  }
  if (m && m.payload && typeof m.payload === "object") m = m.payload;
  if (!m || typeof m !== "object" || (m.Type && m.Type !== "CALL")) return "";
  if (m.EventType && m.EventType !== "OUTBOUND") return "";
  return String(m.DialNumber || m.PhoneNumber || m.Number || m.DNIS || "");
}

async function main() {
  if (!parentOrigin) show("parent= (C4C's origin) is missing from the widget URL", true);
  const core = new AdapterCore({ crm: sap, popOn: [], dialPlan: await loadDialPlan() });
  window.agentlinkAdapter = core; // for the admin's console and the tests
  const tb = $("tb");
  const q = new URLSearchParams({ parent: location.origin });
  for (const k of ["agentId", "extension"]) if (params.get(k)) q.set(k, params.get(k));
  tb.src = "/toolbar/?" + q;
  core.connect(fromToolbar(tb, location.origin));
  window.addEventListener("message", async (e) => {
    if (e.source !== window.parent || e.origin !== parentOrigin) return;
    const n = numberFrom(e.data);
    if (!n) return;
    try {
      show(`dial ${await core.clickToDial(n)}`);
    } catch (err) {
      show(`cannot dial ${n}: ${err.message}`, true);
    }
  });
  $("status").textContent = parentOrigin ? "ready" : "not configured";
}

main();
