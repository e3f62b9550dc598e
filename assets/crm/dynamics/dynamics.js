// AgentLink for Microsoft Dynamics 365 (Channel Integration Framework 1.0).
// The channel page (adapter.html, a web resource in your org: see
// docs/crm/dynamics.md) loads CIF's msdyn_ciLibrary.js, frames the AgentLink
// toolbar, and loads this module from the bridge. It maps the adapter core
// onto CIF:
//   ringing    setMode(1): the panel opens
//   pop        searchAndOpenRecords(entity, ?$filter=<field> eq '<value>', true)
//              -> one: openForm, several: a pick list in the panel, none:
//              openForm of a new record with the phone number
//   dialling   setClickToAct(true) + the onclicktoact handler
//   logging    createRecord("phonecall", …) with direction, duration, the
//              disposition, regarding the record that popped; before it,
//              findLog asks searchAndOpenRecords("phonecall", …, true) for
//              a phone call already saved for this Finesse call (its answer
//              lost to a reload), by refField or the description's
//              "Finesse call <ref>" line, created since the call began
// Channel URL parameters: entity= (default contact), field= (the field the
// lookup value is searched in; default telephone1), lookup= (ani, dnis,
// number, var:<name>; default ani), popOn= (default inbound),
// dispositionField= (a custom phonecall field for the wrap-up reason),
// refField= (a custom phonecall text field for the Finesse call reference:
// findLog then filters on it with eq instead of searching descriptions).
import { AdapterCore, fromToolbar, loadDialPlan } from "../../sdk/adapter.js";

const bridge = new URL(import.meta.url).origin;
const params = new URLSearchParams(location.search);
const entity = params.get("entity") || "contact";
const field = params.get("field") || "telephone1";
const $ = (id) => document.getElementById(id);
const cif = () => window.Microsoft && window.Microsoft.CIFramework;
const refField = params.get("refField") || "";
const PLURAL = { contact: "contacts", account: "accounts", lead: "leads", incident: "incidents" };

function show(text, isError) {
  const li = document.createElement("li");
  li.textContent = `${new Date().toLocaleTimeString()} ${text}`;
  if (isError) li.className = "error";
  $("activity").prepend(li);
}

// since: the earliest creation time of this call's log, an hour before the
// call began for clock skew; it keeps a Finesse call id that comes again
// (Finesse counts them again after a restart) from matching an old log.
function since(log) {
  const t = Date.parse(log.startedAt || log.endedAt);
  return Number.isNaN(t) ? "" : new Date(t - 3600e3).toISOString().replace(/\.\d+Z$/, "Z");
}
const refLine = (ref) => `Finesse call ${ref}`;

const parse = (s) => typeof s === "string" ? JSON.parse(s || "null") : s;
const idOf = (r) => r[entity + "id"] || r.id;
const nameOf = (r) => r.fullname || r.name || r.title || idOf(r);

const dynamics = {
  async search(lookup) {
    const value = String(lookup.value).replace(/'/g, "''");
    const found = parse(await cif().searchAndOpenRecords(entity, `?$select=${field}&$filter=${field} eq '${value}'`, true));
    return Object.values(found || {});
  },
  async open(rec, call) {
    call.record = rec;
    $("choices").textContent = "";
    await cif().openForm(JSON.stringify({ entityName: entity, entityId: idOf(rec) }));
  },
  pick(recs, call) {
    const ul = $("choices");
    ul.textContent = "";
    for (const r of recs) {
      const b = Object.assign(document.createElement("button"), { type: "button", textContent: nameOf(r) });
      b.dataset.id = idOf(r);
      b.onclick = () => dynamics.open(r, call).catch((e) => show(e.message, true));
      const li = document.createElement("li");
      li.append(b);
      ul.append(li);
    }
  },
  async openNew(prefill) {
    await cif().openForm(JSON.stringify({ entityName: entity, useQuickCreateForm: false }), JSON.stringify({ [field]: prefill.phone }));
  },
  async callStarted(call) {
    if (!call.leg && call.direction === "inbound") await cif().setMode(1);
  },
  async saveLog(log, call) {
    const out = log.direction === "outbound";
    const rec = {
      subject: `${out ? "Outbound" : "Inbound"} call ${log.number}`, phonenumber: log.number, directioncode: out,
      actualdurationminutes: Math.ceil(log.durationSeconds / 60),
      description: [refLine(log.ref), log.disposition && `Disposition: ${log.disposition}`,
        log.originalRef && `Transferred call; original call ${log.originalRef}`].filter(Boolean).join("\n"),
    };
    if (refField) rec[refField] = log.ref;
    if (params.get("dispositionField") && log.disposition) rec[params.get("dispositionField")] = log.disposition;
    if (call.record && PLURAL[entity]) rec[`regardingobjectid_${entity}@odata.bind`] = `/${PLURAL[entity]}(${idOf(call.record)})`;
    const saved = parse(await cif().createRecord("phonecall", JSON.stringify(rec)));
    show(`logged ${log.ref} as ${saved && saved.id}`);
    return saved && saved.id;
  },
  // findLog: the phone call already saved for log.ref, or null.
  async findLog(log) {
    const ref = String(log.ref).replace(/'/g, "''");
    const from = since(log);
    // Only this agent's phone calls: another agent's log of a call with
    // the same reference never counts.
    const filter = (refField ? `${refField} eq '${ref}'` : `contains(description,'${refLine(ref)}')`) +
      " and Microsoft.Dynamics.CRM.EqualUserId(PropertyName='createdby')" + (from ? ` and createdon ge ${from}` : "");
    const found = parse(await cif().searchAndOpenRecords("phonecall", `?$select=activityid,description&$filter=${filter}&$top=50`, true));
    // contains() also matches a longer reference: keep the exact line.
    const hit = Object.values(found || {}).find((r) => refField ||
      String(r.description || "").split("\n").includes(refLine(log.ref)));
    if (hit) show(`${log.ref} was logged already as ${hit.activityid}`);
    return hit ? hit.activityid : null;
  },
  error(what, e) { show(`${what}: ${e.message || e}`, true); },
};

async function main() {
  if (!cif()) {
    show("msdyn_ciLibrary.js is not loaded: host this page in Dynamics 365 (docs/crm/dynamics.md)", true);
    return;
  }
  const core = new AdapterCore({
    crm: dynamics, lookupKey: params.get("lookup") || "ani",
    popOn: (params.get("popOn") || "inbound").split(","), dialPlan: await loadDialPlan(bridge),
  });
  window.agentlinkAdapter = core;
  const tb = $("tb");
  core.connect(fromToolbar(tb, bridge));
  tb.src = bridge + "/toolbar/?" + new URLSearchParams({ parent: location.origin });
  cif().addHandler("onclicktoact", (p) => {
    const v = parse(p) || {};
    return core.clickToDial(v.value).then((n) => show(`dial ${n}`), (e) => show(e.message, true));
  });
  await cif().setClickToAct(true);
  $("status").textContent = "ready";
}

main().catch((e) => show(e.message, true));
