// The demo CRM of `agentlink --demo` (/crm/demo/): a pretend CRM with a few
// contacts, driven by the adapter core exactly as a real CRM driver would
// be. Screen pops search the contacts by the lookup key (?lookup=ani, dnis,
// or var:<call variable>; default ani): one match opens it, several offer a
// choice, none opens a new-contact form with the number. Calls are logged
// in the table once each, with their disposition. Numbers dial on click.
// The call log is the demo's "CRM database": kept in this origin's
// localStorage, so it survives a reload like a real CRM's records, and
// findLog looks a call up in it by its reference before saving it.
import { AdapterCore, fromToolbar, loadDialPlan } from "/sdk/adapter.js";

const $ = (id) => document.getElementById(id);
const params = new URLSearchParams(location.search);
const contacts = [
  { id: "C-1042", name: "Dana Whitfield", phone: "+14155550123", account: "ACME-1042" },
  { id: "C-2210", name: "Oliver Grant", phone: "+442079460958", account: "ACME-2210" },
  { id: "C-3307", name: "Lena Vogt", phone: "+4930901820", account: "ACME-3307" },
  { id: "C-3308", name: "Jonas Vogt", phone: "+4930901820", account: "ACME-3307" },
  { id: "C-5001", name: "Globex front desk", phone: "+1 (212) 555-0199", account: "GLOBEX" },
];
// What the page did, for the tests and the curious: [{op, ...}]
window.crmCalls = [];
const record = (op, data) => window.crmCalls.push(Object.assign({ op }, data));

function show(text, isError) {
  const li = document.createElement("li");
  li.textContent = `${new Date().toLocaleTimeString()} ${text}`;
  if (isError) li.className = "error";
  $("activity").prepend(li);
}

function setPop(text, open) {
  $("pop").textContent = text;
  $("pop").classList.toggle("open", !!open);
  $("choices").textContent = "";
  $("newrec").hidden = true;
}

// The CRM's saved call logs (the newest last), across reloads.
const LOGS = "agentlink.demo.logs";
function savedLogs() {
  try { return JSON.parse(localStorage.getItem(LOGS) || "[]"); } catch { return []; }
}
function storeLog(row) {
  const rows = savedLogs().concat([row]).slice(-100);
  try { localStorage.setItem(LOGS, JSON.stringify(rows)); } catch { /* the table still shows it */ }
}
function showLog(row) {
  const tr = document.createElement("tr");
  for (const v of [row.ref, row.direction, row.number, row.contact, `${row.durationSeconds} s`, row.disposition, row.originalRef])
    tr.append(Object.assign(document.createElement("td"), { textContent: v || "" }));
  $("log").prepend(tr);
}
// For the tests: the next save is stored but its answer never comes, as
// when the page dies between the CRM's save and its answer.
window.loseNextSaveAnswer = false;

let core;
const demo = {
  async search(lookup) {
    const match = (c) => lookup.key.startsWith("var:") ? c.account === lookup.value : core.number(c.phone) === lookup.value;
    const found = contacts.filter(match);
    record("search", { key: lookup.key, value: lookup.value, found: found.map((c) => c.id) });
    return found;
  },
  open(c, call) {
    record("open", { id: c.id, call: call.id });
    setPop(`${call.direction} call ${call.number}: ${c.name} (${c.account})`, true);
    call.contact = c.name;
  },
  pick(list, call) {
    record("pick", { ids: list.map((c) => c.id), call: call.id });
    setPop(`${call.direction} call ${call.number}: ${list.length} contacts have this number. Which one?`);
    for (const c of list) {
      const b = document.createElement("button");
      b.textContent = c.name;
      b.dataset.id = c.id;
      b.onclick = () => demo.open(c, call);
      const li = document.createElement("li");
      li.append(b);
      $("choices").append(li);
    }
  },
  openNew(prefill, call) {
    record("new", { phone: prefill.phone, call: call.id });
    setPop(`${call.direction} call ${call.number}: not a contact yet`);
    $("new-phone").value = prefill.phone;
    $("newrec").hidden = false;
  },
  async saveLog(log, call) {
    const ref = "LOG-" + log.ref;
    record("log", { ref, id: log.id, direction: log.direction, number: log.number, disposition: log.disposition, originalRef: log.originalRef });
    const row = { crmRef: ref, ref: log.ref, startedAt: log.startedAt || "", direction: log.direction, number: log.number, contact: call.contact || "",
      durationSeconds: log.durationSeconds, disposition: log.disposition, originalRef: log.originalRef };
    storeLog(row);
    showLog(row);
    if (window.loseNextSaveAnswer) {
      window.loseNextSaveAnswer = false;
      return new Promise(() => {}); // saved, but the adapter never hears it
    }
    return ref;
  },
  // findLog: a log this CRM already holds for the call (a save whose answer
  // was lost). The start time tells calls apart whose Finesse id comes
  // again (the simulator restarted counts from the same number).
  findLog(log) {
    const row = savedLogs().find((r) => r.ref === log.ref && r.startedAt === (log.startedAt || ""));
    record("find", { ref: log.ref, found: row ? row.crmRef : "" });
    return row ? row.crmRef : null;
  },
  error(what, e) { show(`${what}: ${e.message || e}`, true); },
};

function renderContacts() {
  for (const c of contacts) {
    const tr = document.createElement("tr");
    const a = Object.assign(document.createElement("a"), { href: "#", textContent: c.phone, className: "dial" });
    a.onclick = async (e) => {
      e.preventDefault();
      try { show(`dial ${await core.clickToDial(c.phone)}`); } catch (err) { show(err.message, true); }
    };
    tr.append(Object.assign(document.createElement("td"), { textContent: c.name }));
    tr.append(document.createElement("td"));
    tr.lastChild.append(a);
    tr.append(Object.assign(document.createElement("td"), { textContent: c.account }));
    $("contacts").append(tr);
  }
}

$("newrec").addEventListener("submit", (e) => {
  e.preventDefault();
  const c = { id: "C-" + (9000 + contacts.length), name: $("new-name").value || "New contact", phone: $("new-phone").value, account: "" };
  contacts.push(c);
  record("created", { id: c.id, phone: c.phone });
  setPop(`Saved ${c.name}`, true);
});

async function main() {
  core = new AdapterCore({
    crm: demo, lookupKey: params.get("lookup") || "ani",
    popOn: (params.get("popOn") || "inbound").split(","), dialPlan: await loadDialPlan(),
    onLogSaved: (ack) => show(`logged ${ack.id} as ${ack.crmRef}`),
  });
  window.agentlinkAdapter = core;
  renderContacts();
  for (const row of savedLogs()) showLog(row);
  const tb = $("tb");
  tb.src = "/toolbar/?" + new URLSearchParams({ parent: location.origin, agentId: params.get("agentId") || "" });
  core.connect(fromToolbar(tb, location.origin));
  $("status").textContent = "connected to the toolbar";
}

main();
