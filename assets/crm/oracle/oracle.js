// AgentLink for Oracle B2C Service (Service Cloud) Agent Browser UI.
// The side pane page (pane.html, uploaded with init.html as a Browser UI
// extension in the Add-In Manager: see docs/crm/oracle.md) loads Oracle's
// extension_loader.js, frames the AgentLink toolbar, and loads this module
// from the bridge. It maps the adapter core onto the Browser UI
// Extensibility Framework and the Connect REST API:
//   ringing    the side pane expands; a notification names the caller
//   pop        ROQL through REST queryResults: Contacts by phone number
//              (Phones.PhoneList.RawNumber) or by a call variable; an
//              Incident by ReferenceNumber when the call carries
//              incidentVar. One match: editWorkspaceRecord; several: a
//              pick list in the pane; none: createWorkspaceRecord("Contact")
//              with the number in newContactPhoneField
//   dialling   the global action dialAction (registerAction), invoked by
//              dial.html, a Workspace extension, when a workspace's Dial
//              button fires the named event dialEvent (with the record's
//              dialFields), or by any other extension
//   logging    at the end of a customer call, a note on the contact
//              (PATCH contacts/{id} notes) or a Note thread on the incident
//              (PATCH incidents/{id} threads) that popped; for a caller
//              with no record, a new contact with the number and the note
//              (POST contacts); before it, findLog asks ROQL for a note or
//              Note thread already carrying the line "Finesse call <ref>."
//              created since the call began (a save whose answer was lost)
// Settings come from config.json next to pane.html (see DEFAULTS).
import { AdapterCore, fromToolbar, loadDialPlan } from "../../sdk/adapter.js";

const DEFAULTS = {
  appId: "AgentLink", appVersion: "1.0", paneId: "agentlink", pane: "left",
  lookup: "ani", popOn: ["inbound"],
  object: "Contact", searchField: "", incidentVar: "",
  newContactPhoneField: "Contact.PhOffice", newContactPhoneType: "Office Phone",
  dialAction: "AgentLink.dial", // dialEvent and dialFields: dial.html
  restVersion: "v1.4",
};
const SEARCH_FIELD = { Contact: "Phones.PhoneList.RawNumber", Incident: "ReferenceNumber" };
const TABLE = { Contact: "contacts", Incident: "incidents" };

const cfg = Object.assign({}, DEFAULTS, window.agentlinkConfig || {});
const bridge = new URL(import.meta.url).origin;
const $ = (id) => document.getElementById(id);
const osvc = () => window.ORACLE_SERVICE_CLOUD;
let sdk, globalCtx, workspace, core;
let pendingDial = null; // {number, record}: a dial from a workspace, until its call starts

function show(text, isError) {
  const li = document.createElement("li");
  li.textContent = `${new Date().toLocaleTimeString()} ${text}`;
  if (isError) li.className = "error";
  $("activity").prepend(li);
  while ($("activity").children.length > 30) $("activity").lastChild.remove();
}

// The framework's IExtensionPromise has then/catch, so await works on it.
const registered = (fn) => new Promise((resolve) => fn(resolve));

/** rest calls the Connect REST API of this site with the agent's session. */
async function rest(method, path, body) {
  const token = await globalCtx.getSessionToken();
  const url = `${globalCtx.getInterfaceServiceUrl("REST")}/connect/${cfg.restVersion}/${path}`;
  const headers = { Authorization: `Session ${token}`, "OSvC-CREST-Application-Context": "AgentLink CTI" };
  if (body) headers["Content-Type"] = "application/json";
  const r = await fetch(url, { method, headers, body: body ? JSON.stringify(body) : undefined });
  const text = await r.text();
  if (!r.ok) throw new Error(`${method} ${path.split("?")[0]}: HTTP ${r.status} ${text.slice(0, 200)}`);
  return text ? JSON.parse(text) : {};
}

/** roql runs a ROQL query and returns its rows as objects keyed by column. */
export async function roql(query) {
  const res = await rest("GET", "queryResults/?query=" + encodeURIComponent(query));
  const out = [];
  for (const item of res.items || []) {
    const cols = (item.columnNames || []).map((c) => String(c).toLowerCase());
    for (const row of item.rows || []) out.push(Object.fromEntries(cols.map((c, i) => [c, row[i]])));
  }
  return out;
}

// ROQL has no bind parameters: values with quotes or backslashes are refused.
function quoted(v) {
  const s = String(v);
  if (/['\\]/.test(s)) throw new Error(`lookup value ${JSON.stringify(s)} has a quote: not searched`);
  return `'${s}'`;
}

/** phoneValues: what RawNumber may hold for an E.164 number (digits, with and without the country code). */
export function phoneValues(e164, countryCode) {
  const digits = String(e164 || "").replace(/\D/g, "");
  const out = [digits];
  if (countryCode && String(e164).startsWith("+" + countryCode) && digits.length > countryCode.length) {
    out.push(digits.slice(countryCode.length));
  }
  return [...new Set(out.filter(Boolean))];
}

async function find(object, field, values) {
  const cols = object === "Incident" ? "ID, ReferenceNumber, Subject" : "ID, LookupName";
  const rows = await roql(`SELECT ${cols} FROM ${TABLE[object]} WHERE ${field} IN (${values.map(quoted).join(", ")})`);
  const seen = new Map(); // a contact with two matching phones comes twice
  for (const r of rows) {
    const name = object === "Incident" ? `${r.referencenumber} ${r.subject || ""}`.trim() : r.lookupname;
    if (!seen.has(String(r.id))) seen.set(String(r.id), { type: object, id: Number(r.id), name: name || `${object} ${r.id}` });
  }
  return [...seen.values()];
}

const oracle = {
  async search(lookup, call) {
    const ref = cfg.incidentVar && call.variables[cfg.incidentVar];
    if (ref) {
      try {
        const incidents = await find("Incident", "ReferenceNumber", [ref]);
        if (incidents.length) return incidents;
      } catch (e) {
        show(`incident ${ref}: ${e.message}`, true); // the caller may still have a contact
      }
    }
    const object = TABLE[cfg.object] ? cfg.object : "Contact";
    const field = cfg.searchField || SEARCH_FIELD[object];
    const values = lookup.key.startsWith("var:") || field !== SEARCH_FIELD.Contact ?
      [lookup.value] : phoneValues(lookup.value, core.dialPlan.countryCode);
    return find(object, field, values);
  },
  async open(rec, call) {
    call.record = rec;
    $("choices").textContent = "";
    await workspace.editWorkspaceRecord(rec.type, rec.id);
    show(`opened ${rec.type} ${rec.name}`);
  },
  pick(recs, call) {
    const ul = $("choices");
    ul.textContent = "";
    for (const r of recs) {
      const b = Object.assign(document.createElement("button"), { type: "button", textContent: `${r.name} (${r.type} ${r.id})` });
      b.dataset.id = String(r.id);
      b.onclick = () => oracle.open(r, call).catch((e) => show(e.message, true));
      const li = document.createElement("li");
      li.append(b);
      ul.append(li);
    }
    show(`${recs.length} records match ${call.number}: pick one`);
  },
  async openNew(prefill, call) {
    await workspace.createWorkspaceRecord("Contact", (draft) => {
      draft.updateField(cfg.newContactPhoneField, prefill.phone);
      // Saved during the call: the call is logged on it.
      draft.addRecordSavedListener((p) => {
        const ws = p.getWorkspaceRecord();
        call.record = { type: "Contact", id: Number(ws.getWorkspaceRecordId()), name: prefill.phone };
      });
    });
    show(`new contact for ${prefill.phone}`);
  },
  async callStarted(call) {
    if (call.leg) return;
    if (call.direction === "inbound") await ring(call).catch((e) => show(`ring: ${e.message || e}`, true));
    if (call.direction === "outbound" && pendingDial && pendingDial.number === call.number) {
      call.record = pendingDial.record;
      pendingDial = null;
    } else if (!core.popOn.includes(call.direction)) {
      // Not popped, but logged on the other party's record if it has one.
      const lookup = call.lookup.key.startsWith("var:") ? call.lookup : { key: "number", value: call.number };
      const found = lookup.value ? await oracle.search(lookup, call) : [];
      if (found.length === 1) call.record = found[0];
    }
  },
  async saveLog(log, call) {
    const text = noteText(log);
    const rec = call.record;
    let ref;
    if (rec && rec.type === "Incident") {
      await rest("PATCH", `incidents/${rec.id}`, { threads: [{ entryType: { lookupName: "Note" }, text }] });
      ref = `Incident/${rec.id}`;
    } else if (rec) {
      await rest("PATCH", `contacts/${rec.id}`, { notes: [{ text }] });
      ref = `Contact/${rec.id}`;
    } else {
      const made = await rest("POST", "contacts", {
        name: { first: "Caller", last: log.number || "unknown" },
        phones: log.number ? [{ number: log.number, phoneType: { lookupName: cfg.newContactPhoneType } }] : [],
        notes: [{ text }],
      });
      ref = `Contact/${made.id}`;
    }
    show(`logged ${log.ref} on ${ref}`);
    return ref;
  },
  findLog: (log) => findLog(log),
  error(what, e) { show(`${what}: ${e.message || e}`, true); },
};

/**
 * refLine names the call in its note. The full stop ends the reference, so
 * a LIKE search for one call's line never matches a longer reference.
 */
export const refLine = (ref) => `Finesse call ${ref}.`;

// since: the earliest creation time of this call's note, an hour before the
// call began for clock skew; it keeps a Finesse call id that comes again
// (Finesse counts them again after a restart) from matching an old note.
function since(log) {
  const t = Date.parse(log.startedAt || log.endedAt);
  return Number.isNaN(t) ? "" : new Date(t - 3600e3).toISOString().replace(/\.\d+Z$/, "Z");
}

/** findLog: the record whose note already logs this call ("Contact/12", "Incident/88"), or null. */
export async function findLog(log) {
  const from = since(log);
  // Only this agent's notes: another agent's note of a call with the same
  // reference never counts.
  const me = Number(globalCtx.getAccountId());
  if (!Number.isInteger(me) || me <= 0) throw new Error("findLog: the Browser UI gave no account id");
  for (const [table, notes, by, type] of [["contacts", "Notes", "CreatedByAccount", "Contact"], ["incidents", "Threads", "Account", "Incident"]]) {
    const rows = await roql(`SELECT ID FROM ${table} WHERE ${notes}.Text LIKE ${quoted(`%${refLine(log.ref)}%`)}` +
      ` AND ${notes}.${by}.ID = ${me}` + (from ? ` AND ${notes}.CreatedTime >= ${quoted(from)}` : ""));
    if (rows.length) {
      show(`${log.ref} was logged already on ${type} ${rows[0].id}`);
      return `${type}/${rows[0].id}`;
    }
  }
  return null;
}

/** noteText is the call log as Oracle shows it on the contact or incident. */
export function noteText(log) {
  const dir = { inbound: "Inbound", outbound: "Outbound" }[log.direction] || log.direction;
  const m = Math.floor(log.durationSeconds / 60), s = log.durationSeconds % 60;
  return [
    `${dir} call ${log.number} (${m} min ${s} s), ended ${log.endedAt}`,
    `Disposition: ${log.disposition || "none"}`,
    refLine(log.ref),
    log.originalRef && `Transferred call; original call ${log.originalRef}`,
  ].filter(Boolean).join("\n");
}

// ring opens the pane and tells the agent who calls.
let uiCtx;
async function ring(call) {
  uiCtx = uiCtx || registered((cb) => sdk.registerUserInterfaceExtension(cb));
  const ui = await uiCtx;
  const side = cfg.pane === "right" ? ui.getRightSidePaneContext() : ui.getLeftSidePaneContext();
  const pane = await (await side).getSidePane(cfg.paneId);
  pane.expand();
  pane.render();
  const nc = await ui.getNotificationContext();
  const n = nc.createNotificationConfig();
  n.setMessage(`Incoming call from ${call.number || "unknown number"}`);
  n.setDuration(10);
  await nc.showNotification(n);
}

/**
 * dial handles the global action cfg.dialAction: param is a number, or
 * {number, recordType, recordId} from dial.html (a workspace's Dial
 * button), whose record the call is then logged on.
 */
export async function dial(param) {
  const p = typeof param === "string" ? { number: param } : param || {};
  if (!p.number) throw new Error("dial: no number");
  const record = p.recordType && Number(p.recordId) > 0 ? { type: p.recordType, id: Number(p.recordId), name: p.number } : null;
  pendingDial = record ? { number: core.number(p.number), record } : null;
  const n = await core.clickToDial(p.number);
  show(`dial ${n}${record ? ` (${record.type} ${record.id})` : ""}`);
  return n;
}

async function main() {
  if (!osvc() || !osvc().extension_loader) {
    show("extension_loader.js is not loaded: upload this page as a Browser UI extension (docs/crm/oracle.md)", true);
    return;
  }
  sdk = await osvc().extension_loader.load(cfg.appId, cfg.appVersion);
  globalCtx = await sdk.getGlobalContext();
  workspace = await registered((cb) => sdk.registerWorkspaceExtension(cb));
  core = new AdapterCore({
    crm: oracle, lookupKey: cfg.lookup,
    popOn: [].concat(cfg.popOn), dialPlan: await loadDialPlan(bridge),
  });
  window.agentlinkAdapter = core;
  const tb = $("tb");
  core.connect(fromToolbar(tb, bridge));
  tb.src = bridge + "/toolbar/?" + new URLSearchParams({ parent: location.origin });
  globalCtx.registerAction(cfg.dialAction, (param) => dial(param).catch((e) => { show(e.message, true); throw e; }));
  $("status").textContent = "ready";
}

main().catch((e) => show(e.message || String(e), true));
