// AgentLink CRM adapter core: what every CRM connector does, written once.
// A thin per-CRM driver (assets/crm/<crm>/) maps it onto the CRM's own
// client API. The core
//   - follows the calls through the reference toolbar's postMessage events
//     (fromToolbar) or an SDK connection (fromSDK); either way only the tab
//     holding the screen-pop lease receives them, so only it pops and logs;
//   - pops on alerting (and on outbound/consult calls if asked): it looks the
//     caller up by a configurable key and opens the one match, offers a pick
//     list for several, or opens a new-record form prefilled with the number;
//   - dials numbers from the CRM through the dial plan (dialplan.js);
//   - logs one record per customer call: none for consult and conference
//     legs or agent-to-agent calls, and on a call transferred in, the
//     original call's reference next to this leg's own;
//   - never logs a call twice in a page (by summary.id), and calls
//     onLogSaved({id, crmRef}) once the CRM confirmed a save: where an
//     acknowledgement to the bridge will go.
import { normalizeNumber } from "./dialplan.js";

/** callTypes of the legs an agent joins for a colleague: never logged. */
export const LEG_CALL_TYPES = ["CONSULT", "CONFERENCE", "BARGE_IN_CONSULT", "SUPERVISOR_MONITOR", "ASSIST_CALL"];
const OUTBOUND_CALL_TYPES = ["OUT", "AGENT_OUT", "AUTO_OUT"];
const INTERNAL_CALL_TYPES = ["AGENT_INSIDE"];
const MAX_REF = 35; // SAP's ExternalReferenceID; short enough for every CRM

/** externalRef turns a Finesse dialog id into at most 35 letters and digits. */
export function externalRef(dialogId) {
  const s = String(dialogId || "").replace(/[^A-Za-z0-9]/g, "");
  return s.length > MAX_REF ? s.slice(s.length - MAX_REF) : s;
}

// Customer calls keep their callType while their agent consults (then the
// dialog carries associatedId too): a page reloaded mid-consult must not
// take them for legs.
const CUSTOMER_CALL_TYPES = ["ACD_IN", "PREROUTE_ACD_IN", "PREROUTE_DIRECT_AGENT", "TRANSFER", "OTHER_IN", "OVERFLOW_IN"];

/** direction is "inbound", "outbound", "consult" (a leg) or "internal". */
export function direction(d) {
  const t = (d.callType || "").toUpperCase();
  const customer = CUSTOMER_CALL_TYPES.includes(t) || OUTBOUND_CALL_TYPES.includes(t) || t.startsWith("OUTBOUND");
  if (LEG_CALL_TYPES.includes(t) || (d.associatedId && !customer)) return "consult";
  if (INTERNAL_CALL_TYPES.includes(t)) return "internal";
  if (OUTBOUND_CALL_TYPES.includes(t) || t.startsWith("OUTBOUND")) return "outbound";
  return "inbound";
}

/**
 * lookupValue reads the screen-pop key from a dialog: "ani" (the caller),
 * "dnis" (the number dialled), "number" (the other party, either way), or
 * "var:<name>" for a call variable or ECC variable ("var:user.customer.id",
 * "var:callVariable3").
 */
export function lookupValue(d, key) {
  const vars = d.variables || {};
  switch (key) {
    case "ani": return d.from || "";
    case "dnis": return d.dnis || d.dialedNumber || d.to || "";
    case "number": return otherParty(d);
  }
  if (key && key.startsWith("var:")) return vars[key.slice(4)] || "";
  throw new Error(`unknown lookup key "${key}" (ani, dnis, number or var:<name>)`);
}

function otherParty(d) {
  return direction(d) === "outbound" ? d.dialedNumber || d.to || "" : d.from || "";
}

export class AdapterCore {
  /**
   * @param {object} opts
   * @param {object} opts.crm the CRM driver (see adapter.d.ts CRMDriver)
   * @param {string} [opts.lookupKey] default "ani"
   * @param {string[]} [opts.popOn] directions that pop; default ["inbound"]
   * @param {object} [opts.dialPlan] see dialplan.js
   * @param {(ack: {id: string, crmRef: string}) => void} [opts.onLogSaved]
   */
  constructor(opts) {
    this.crm = opts.crm;
    this.lookupKey = opts.lookupKey || "ani";
    this.popOn = opts.popOn || ["inbound"];
    this.dialPlan = opts.dialPlan || {};
    this.onLogSaved = opts.onLogSaved || (() => {});
    this.calls = new Map(); // dialog id -> call, while it lasts
    this.logged = new Set(); // summary ids saved (or being saved) from this page
    this.dial = async () => { throw new Error("no phone connected"); };
    this.errors = [];
  }

  /** connect wires a source: {onDialog, onEnded} in, dial out. */
  connect(source) {
    this.dial = (n) => source.dial(n);
    source.listen({ dialog: (d) => this.onDialog(d), ended: (s) => this.onEnded(s) });
    return this;
  }

  /** clickToDial normalises what the CRM shows and dials it. */
  async clickToDial(number) {
    const n = normalizeNumber(number, this.dialPlan);
    await this.dial(n);
    return n;
  }

  number(raw) {
    try { return normalizeNumber(raw, this.dialPlan); } catch { return raw || ""; }
  }

  onDialog(d) {
    let call = this.calls.get(d.id);
    if (!call) {
      call = this.newCall(d);
      this.calls.set(d.id, call);
      this.safely("start", () => this.crm.callStarted && this.crm.callStarted(call));
      if (this.popOn.includes(call.direction)) this.safely("pop", () => this.pop(call));
    }
    call.dialog = d;
    if (!call.answeredAt && d.agentState === "ACTIVE" && d.state === "ACTIVE") {
      call.answeredAt = new Date().toISOString();
      this.safely("answer", () => this.crm.callAnswered && this.crm.callAnswered(call));
    }
  }

  newCall(d) {
    const dir = direction(d);
    // A call transferred in arrives carrying the consult leg it replaced
    // (secondaryId): that leg is this agent's part, the dialog the original.
    const transferred = !!d.secondaryId && dir !== "consult";
    const value = lookupValue(d, this.lookupKey);
    return {
      id: d.id, direction: dir, leg: dir === "consult" || dir === "internal",
      ref: externalRef(transferred ? d.secondaryId : d.id),
      originalRef: transferred ? externalRef(d.id) : "",
      number: this.number(otherParty(d)), ani: this.number(d.from), dnis: d.dnis || d.dialedNumber || d.to || "",
      lookup: { key: this.lookupKey, value: this.lookupKey.startsWith("var:") ? value : this.number(value) },
      variables: Object.assign({}, d.variables), startedAt: new Date().toISOString(), answeredAt: "", dialog: d,
    };
  }

  async pop(call) {
    const { value } = call.lookup;
    const found = value && this.crm.search ? await this.crm.search(call.lookup, call) : [];
    if (found.length === 1) return this.crm.open(found[0], call);
    if (found.length > 1) return this.crm.pick(found, call);
    return this.crm.openNew({ phone: call.number, lookup: call.lookup }, call);
  }

  async onEnded(summary) {
    const call = this.calls.get(summary.id) || this.newCall(Object.assign({ variables: {} }, summary));
    this.calls.delete(summary.id);
    if (call.leg) return null;
    if (this.logged.has(summary.id)) return null; // a repeated callended
    this.logged.add(summary.id);
    const log = this.callLog(call, summary);
    try {
      const crmRef = await this.crm.saveLog(log, call);
      this.onLogSaved({ id: summary.id, crmRef: String(crmRef || "") });
      return log;
    } catch (e) {
      this.logged.delete(summary.id); // not saved: a later callended may try again
      this.error("save", e);
      return null;
    }
  }

  callLog(call, s) {
    const started = s.answeredAt || s.startedAt || call.answeredAt || call.startedAt;
    const ended = s.endedAt || new Date().toISOString();
    const secs = Math.max(0, Math.round((Date.parse(ended) - Date.parse(started)) / 1000)) || 0;
    return {
      id: s.id, ref: call.ref, originalRef: call.originalRef, direction: call.direction,
      number: call.number, ani: call.ani, dnis: call.dnis,
      startedAt: s.startedAt || call.startedAt, answeredAt: s.answeredAt || call.answeredAt, endedAt: ended,
      durationSeconds: secs, disposition: s.wrapUpReason || "",
      variables: Object.assign({}, call.variables, s.variables), lookup: call.lookup,
    };
  }

  async safely(what, fn) {
    try { await fn(); } catch (e) { this.error(what, e); }
  }

  error(what, e) {
    this.errors.push({ what, message: e && e.message ? e.message : String(e) });
    if (this.crm.error) this.crm.error(what, e);
  }
}

/**
 * fromToolbar follows the reference toolbar in an iframe of this page
 * (served by the bridge, so both share its origin). The toolbar only sends
 * agentlink:screenpop/dialog/callended while its tab holds the lease.
 */
export function fromToolbar(frame, toolbarOrigin) {
  return {
    listen(on) {
      window.addEventListener("message", (e) => {
        if (e.origin !== toolbarOrigin || e.source !== frame.contentWindow) return;
        const m = e.data || {};
        if ((m.type === "agentlink:screenpop" || m.type === "agentlink:dialog") && m.dialog) on.dialog(m.dialog);
        else if (m.type === "agentlink:callended" && m.summary) on.ended(m.summary);
      });
    },
    async dial(number) {
      frame.contentWindow.postMessage({ type: "agentlink:dial", number }, toolbarOrigin);
    },
  };
}

/** fromSDK follows an AgentLink SDK connection made with lease: true. */
export function fromSDK(al) {
  const mine = () => !al.owner || al.isOwner;
  return {
    listen(on) {
      al.on("Dialog", (d) => mine() && on.dialog(d));
      al.on("DialogEnded", (s) => mine() && on.ended(s));
    },
    dial: (number) => al.makeCall(number),
  };
}

/** loadDialPlan reads the plan the bridge applies ([dialplan] in config.toml). */
export async function loadDialPlan(base = "") {
  try {
    const r = await fetch(base + "/crm/dialplan.json", { cache: "no-store" });
    return r.ok ? await r.json() : {};
  } catch {
    return {};
  }
}
