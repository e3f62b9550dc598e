// AgentLink for Salesforce Lightning (Open CTI). The adapter page
// (adapter.html, hosted in Salesforce: see docs/crm/salesforce.md) loads
// Salesforce's opencti_min.js, frames the AgentLink toolbar, and loads this
// module from the bridge. It maps the adapter core onto Open CTI:
//   pop        searchAndScreenPop (deferred) -> one record: screenPop SOBJECT,
//              several: a pick list in the softphone panel, none: screenPop
//              NEW_RECORD_MODAL with the phone number
//   ringing    setSoftphonePanelVisibility({visible: true})
//   dialling   enableClickToDial + onClickToDial, through the dial plan
//   logging    saveLog: a completed Task (CallType, CallDurationInSeconds,
//              CallDisposition = the wrap-up reason, CallObject = the call);
//              with findApex=, findLog first asks runApex for the Task
//              already saved with this CallObject (a save whose answer was
//              lost): Open CTI has no query of its own, so this needs the
//              small Apex class of docs/crm/salesforce.md
// Query parameters of the adapter URL: lookup= (ani, dnis, number or
// var:<name>; default ani), popOn= (default inbound), bridge= (host:port of
// AgentLink when not 127.0.0.1:28445), findApex= (the name of that Apex
// class, e.g. AgentLinkCallLog; without it no lookup is made).
import { AdapterCore, fromToolbar, loadDialPlan } from "../../sdk/adapter.js";

const bridge = new URL(import.meta.url).origin;
const params = new URLSearchParams(location.search);
const $ = (id) => document.getElementById(id);
const cti = () => window.sforce && window.sforce.opencti;

/** openCTI calls an Open CTI method and resolves with its returnValue. */
function openCTI(method, args) {
  return new Promise((resolve, reject) => {
    cti()[method](Object.assign({}, args, {
      callback: (r) => r && r.success ? resolve(r.returnValue) :
        reject(new Error(`${method}: ${((r && r.errors) || []).map((e) => e.description || e).join("; ") || "failed"}`)),
    }));
  });
}

function show(text, isError) {
  const li = document.createElement("li");
  li.textContent = `${new Date().toLocaleTimeString()} ${text}`;
  if (isError) li.className = "error";
  $("activity").prepend(li);
}

// since: the earliest creation time of this call's Task, an hour before
// the call began for clock skew; it keeps a Finesse call id that comes
// again (Finesse counts them again after a restart) from matching an old Task.
function since(log) {
  const t = Date.parse(log.startedAt || log.endedAt);
  return Number.isNaN(t) ? "" : new Date(t - 3600e3).toISOString().replace(/\.\d+Z$/, "Z");
}

const WHO = ["Contact", "Lead"]; // Task.WhoId; anything else is WhatId

const salesforce = {
  async search(lookup, call) {
    const t = cti().CALL_TYPE;
    const found = await openCTI("searchAndScreenPop", {
      searchParams: lookup.value, callType: call.direction === "outbound" ? t.OUTBOUND : t.INBOUND, deferred: true,
    });
    return Object.entries(found || {}).filter(([k]) => k !== "SCREEN_POP_DATA").map(([id, r]) => Object.assign({ Id: id }, r));
  },
  async open(rec, call) {
    call.record = rec;
    $("choices").textContent = "";
    await openCTI("screenPop", { type: cti().SCREENPOP_TYPE.SOBJECT, params: { recordId: rec.Id } });
  },
  pick(recs, call) {
    const ul = $("choices");
    ul.textContent = "";
    for (const r of recs) {
      const b = Object.assign(document.createElement("button"), { type: "button", textContent: `${r.Name || r.Id} (${r.RecordType || ""})` });
      b.dataset.id = r.Id;
      b.onclick = () => salesforce.open(r, call).catch((e) => show(e.message, true));
      const li = document.createElement("li");
      li.append(b);
      ul.append(li);
    }
  },
  async openNew(prefill) {
    await openCTI("screenPop", { type: cti().SCREENPOP_TYPE.NEW_RECORD_MODAL,
      params: { entityName: params.get("newRecord") || "Contact", defaultFieldValues: { Phone: prefill.phone } } });
  },
  async callStarted(call) {
    if (!call.leg && call.direction === "inbound") await openCTI("setSoftphonePanelVisibility", { visible: true });
  },
  async saveLog(log, call) {
    const rec = call.record;
    const value = {
      entityApiName: "Task", Status: "Completed", TaskSubtype: "Call",
      Subject: `${log.direction === "outbound" ? "Outbound" : "Inbound"} call ${log.number}`,
      CallType: log.direction === "outbound" ? "Outbound" : "Inbound",
      CallDurationInSeconds: log.durationSeconds, CallDisposition: log.disposition, CallObject: log.ref,
      ActivityDate: log.endedAt.slice(0, 10),
      Description: log.originalRef ? `Transferred call; original call ${log.originalRef}` : "",
    };
    if (rec) value[WHO.includes(rec.RecordType) ? "WhoId" : "WhatId"] = rec.Id;
    const saved = await openCTI("saveLog", { value });
    show(`logged ${log.ref} as ${saved && saved.recordId}`);
    return saved && saved.recordId;
  },
  error(what, e) { show(`${what}: ${e.message || e}`, true); },
};

// findLog: the Task already saved for log.ref, through the admin's Apex
// class (findTask(callObject, since) returns its Id or ""). A failure
// rejects, so the core retries rather than risk a second Task.
const findApex = params.get("findApex") || "";
if (findApex) {
  salesforce.findLog = async (log) => {
    const rv = await openCTI("runApex", { apexClass: findApex, methodName: "findTask",
      methodParams: new URLSearchParams({ callObject: log.ref, since: since(log) }).toString() });
    const id = typeof rv === "string" ? rv : rv && rv.runApex;
    if (id) show(`${log.ref} was logged already as ${id}`);
    return id || null;
  };
}

async function main() {
  if (!cti()) {
    show("opencti_min.js is not loaded: host this page in Salesforce (docs/crm/salesforce.md)", true);
    return;
  }
  const core = new AdapterCore({
    crm: salesforce, lookupKey: params.get("lookup") || "ani",
    popOn: (params.get("popOn") || "inbound").split(","), dialPlan: await loadDialPlan(bridge),
  });
  window.agentlinkAdapter = core;
  const tb = $("tb");
  core.connect(fromToolbar(tb, bridge));
  tb.src = bridge + "/toolbar/?" + new URLSearchParams({ parent: location.origin });
  cti().onClickToDial({ listener: (p) => core.clickToDial(p.number).then((n) => show(`dial ${n}`), (e) => show(e.message, true)) });
  await openCTI("enableClickToDial", {});
  $("status").textContent = "ready";
}

main().catch((e) => show(e.message, true));
