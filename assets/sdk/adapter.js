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
//   - logs each call exactly once, with its disposition, from AgentLink's
//     outbox: AgentLink keeps every ended call until an adapter acknowledges
//     it and offers the waiting ones (CallLog) to the lease holder once the
//     wrap-up reason is known; the core saves the log, and only after the
//     CRM confirmed the save acknowledges it (AckCallLog) and calls
//     onLogSaved({id, crmRef}). A save that fails is retried (backoff); a
//     call saved but not yet acknowledged (reload, app restart) is
//     remembered in the CRM origin's localStorage and only acknowledged
//     when offered again; a cross-tab Web Lock per call keeps two tabs from
//     saving it at once; the driver's optional findLog(log) lets the CRM
//     itself say the call is already logged (a save whose answer was lost).
//     Without an outbox (an older AgentLink) it logs on the call-ended
//     event, waiting for the wrap-up reason while the agent is in wrap-up.
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
 * origin reads where a call comes from, the same way for a live dialog, a
 * call-ended summary and a CallLog offer (re-offered after a reload or an
 * app restart): AgentLink says it (consult, originalId, secondaryId; see
 * docs/bridge-protocol.md "Call origin"), decided when it first saw the
 * call. An older AgentLink does not (no consult field): a dialog carrying
 * secondaryId is then taken for a call transferred in, the dialog being the
 * original and secondaryId this agent's consult leg. ownId is the id this
 * agent's part is logged under; originalId the original call's, or "".
 */
export function origin(d) {
  if (typeof d.consult !== "boolean") {
    const dir = direction(d);
    const transferred = !!d.secondaryId && dir !== "consult";
    return { dir, originalId: transferred ? d.id : "", ownId: transferred ? d.secondaryId : d.id };
  }
  // AgentLink's word stands: a customer call conferenced later (callType
  // CONFERENCE now) stays the agent's own call.
  const dir = d.consult ? "consult" : ownDirection(d);
  const originalId = d.consult ? "" : d.originalId || "";
  const ownId = originalId && originalId === d.id ? d.secondaryId || d.id : d.id;
  return { dir, originalId, ownId };
}

function ownDirection(d) {
  const t = (d.callType || "").toUpperCase();
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
   * @param {number[]} [opts.retryDelays] ms between attempts to log a call
   * @param {Storage|null} [opts.storage] where saved-but-unacknowledged calls
   *   are remembered; default localStorage
   */
  constructor(opts) {
    this.crm = opts.crm;
    this.lookupKey = opts.lookupKey || "ani";
    this.popOn = opts.popOn || ["inbound"];
    this.dialPlan = opts.dialPlan || {};
    this.onLogSaved = opts.onLogSaved || (() => {});
    this.calls = new Map(); // dialog id -> call, while it lasts
    this.logged = new Set(); // summary ids saved (or being saved) from this page
    this.ended = new Map(); // dialog id -> call, ended, until its offer is logged
    this.done = new Set(); // dialog ids logged from offers (the last 500): an offer may beat its callended
    this.inflight = new Set(); // offer keys being logged by this page
    this.retries = new Map(); // offer key -> {n, timer}
    this.retryDelays = opts.retryDelays || [1000, 2000, 5000, 10000, 30000, 60000];
    this.storage = opts.storage !== undefined ? opts.storage : defaultStorage();
    this.agentState = "";
    this.waiting = new Map(); // legacy: summary id -> summary waiting for the wrap-up reason
    this.dial = async () => { throw new Error("no phone connected"); };
    this.ack = null; // set by connect when AgentLink keeps an outbox
    this.errors = [];
  }

  /** connect wires a source: {onDialog, onEnded} in, dial out. */
  connect(source) {
    this.dial = (n) => source.dial(n);
    if (source.ack) this.ack = (a) => source.ack(a);
    source.listen({
      dialog: (d) => this.onDialog(d),
      ended: (s, outbox) => this.onEnded(s, outbox),
      calllog: (r) => this.onCallLog(r),
      wrapup: (s) => this.onWrapUp(s),
      agent: (a) => this.onAgent(a),
    });
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
    const { dir, originalId, ownId } = origin(d);
    const value = lookupValue(d, this.lookupKey);
    return {
      id: d.id, direction: dir, leg: dir === "consult" || dir === "internal",
      ref: externalRef(ownId),
      originalRef: originalId ? externalRef(originalId) : "",
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

  /**
   * onEnded follows a call's end. With AgentLink's outbox (outbox true) it
   * only keeps the call for its offer (onCallLog), which logs it. Without,
   * it logs now, or once the wrap-up reason comes if the agent may still
   * choose one.
   */
  async onEnded(summary, outbox) {
    const call = this.calls.get(summary.id) || this.newCall(Object.assign({ variables: {} }, summary));
    this.calls.delete(summary.id);
    if (outbox) {
      if (!this.done.has(summary.id)) this.ended.set(summary.id, call);
      return null;
    }
    if (call.leg || summary.consult) return null;
    if (!summary.wrapUpReason && WRAP_STATES.includes(this.agentState)) {
      this.waiting.set(summary.id, { summary, call });
      return null;
    }
    return this.logNow(call, summary);
  }

  /** onWrapUp: a reason chosen after the call ended (legacy path). */
  onWrapUp(summary) {
    const w = this.waiting.get(summary.id);
    if (!w) return null;
    this.waiting.delete(summary.id);
    return this.logNow(w.call, Object.assign({}, w.summary, summary));
  }

  /** onAgent: the agent left wrap-up, so calls waiting for a reason log without one. */
  onAgent(a) {
    this.agentState = (a && a.state) || "";
    if (WRAP_STATES.includes(this.agentState)) return;
    for (const [id, w] of [...this.waiting]) {
      this.waiting.delete(id);
      this.logNow(w.call, w.summary);
    }
  }

  async logNow(call, summary) {
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

  /**
   * onCallLog logs one offer of AgentLink's outbox exactly once: saved in
   * the CRM unless this origin (any tab, any earlier page) or the CRM
   * (findLog) already has it, then acknowledged. Failures retry.
   */
  async onCallLog(rec) {
    const key = offerKey(rec);
    if (this.inflight.has(key)) return null;
    this.inflight.add(key);
    const r = this.retries.get(key);
    if (r) clearTimeout(r.timer);
    try {
      const log = await withLock("agentlink-calllog:" + key, () => this.logOffer(rec, key));
      this.retries.delete(key);
      return log;
    } catch (e) {
      this.error("save", e);
      const n = r ? r.n + 1 : 0;
      const delay = this.retryDelays[Math.min(n, this.retryDelays.length - 1)];
      this.retries.set(key, { n, timer: setTimeout(() => this.onCallLog(rec), delay) });
      return null;
    } finally {
      this.inflight.delete(key);
    }
  }

  async logOffer(rec, key) {
    const dialogId = rec.dialogId || rec.id;
    const call = this.ended.get(dialogId) || this.calls.get(dialogId) ||
      this.newCall(Object.assign({ variables: {} }, rec, { id: dialogId }));
    const log = this.callLog(call, rec);
    let crmRef = this.savedRef(key);
    let saved = false;
    if (crmRef === null && (call.leg || rec.consult)) crmRef = ""; // consult legs and agent calls: nothing to log
    if (crmRef === null && this.crm.findLog) {
      const found = await this.crm.findLog(log, call);
      if (found) crmRef = String(found);
    }
    if (crmRef === null) {
      crmRef = String((await this.crm.saveLog(log, call)) || "");
      saved = true;
    }
    this.remember(key, crmRef);
    if (saved) this.safely("onLogSaved", () => this.onLogSaved({ id: rec.id, crmRef })); // confirmed by the CRM
    if (this.ack) {
      try {
        await this.ack({ id: rec.id, crmRef });
      } catch (e) {
        if (!e || e.code !== "no_such_call") throw e; // no_such_call: nothing left to acknowledge
      }
    }
    this.ended.delete(dialogId);
    this.done.add(dialogId);
    if (this.done.size > 500) this.done.delete(this.done.values().next().value);
    return saved ? log : null;
  }

  savedRef(key) {
    try {
      const v = this.storage && this.storage.getItem(STORE_PREFIX + key);
      return v === null || v === undefined ? null : JSON.parse(v).crmRef;
    } catch {
      return null;
    }
  }

  remember(key, crmRef) {
    try {
      if (!this.storage) return;
      this.storage.setItem(STORE_PREFIX + key, JSON.stringify({ crmRef, at: Date.now() }));
      pruneStorage(this.storage);
    } catch { /* storage full or blocked: AgentLink's outbox still offers it; findLog is the safety net */ }
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

const WRAP_STATES = ["TALKING", "HOLD", "RESERVED", "WORK", "WORK_READY"];
const STORE_PREFIX = "agentlink.calllog.";
const STORE_DAYS = 30;

// offerKey names an offer for dedupe: the record id with its start, since
// Finesse (and the simulator, restarted) may reuse a dialog id later.
function offerKey(rec) {
  return rec.id + "@" + (rec.startedAt || rec.endedAt || "");
}

function defaultStorage() {
  try { return window.localStorage; } catch { return null; }
}

// pruneStorage forgets calls saved more than STORE_DAYS ago.
function pruneStorage(st) {
  const old = Date.now() - STORE_DAYS * 86400e3;
  for (let i = st.length - 1; i >= 0; i--) {
    const k = st.key(i);
    if (!k || !k.startsWith(STORE_PREFIX)) continue;
    try { if (JSON.parse(st.getItem(k)).at < old) st.removeItem(k); } catch { st.removeItem(k); }
  }
}

// withLock runs fn holding a Web Lock shared by every tab of this origin,
// so two tabs never save the same call at once; the lock goes with a
// closed or reloaded tab. Without Web Locks fn just runs.
function withLock(name, fn) {
  const locks = typeof navigator !== "undefined" && navigator.locks;
  return locks ? locks.request(name, fn) : fn();
}

/**
 * fromToolbar follows the reference toolbar in an iframe of this page
 * (served by the bridge, so both share its origin). The toolbar only sends
 * agentlink:screenpop/dialog/callended while its tab holds the lease.
 */
export function fromToolbar(frame, toolbarOrigin) {
  const acks = new Map(); // call id -> pending AckCallLog
  return {
    listen(on) {
      window.addEventListener("message", (e) => {
        if (e.origin !== toolbarOrigin || e.source !== frame.contentWindow) return;
        const m = e.data || {};
        if ((m.type === "agentlink:screenpop" || m.type === "agentlink:dialog") && m.dialog) on.dialog(m.dialog);
        else if (m.type === "agentlink:callended" && m.summary) on.ended(m.summary, !!m.outbox);
        else if (m.type === "agentlink:calllog" && m.record) on.calllog(m.record);
        else if (m.type === "agentlink:wrapup" && m.summary) on.wrapup(m.summary);
        else if (m.type === "agentlink:state" && m.agent) on.agent(m.agent);
        else if (m.type === "agentlink:calllogacked") settle(m);
      });
    },
    async dial(number) {
      frame.contentWindow.postMessage({ type: "agentlink:dial", number }, toolbarOrigin);
    },
    // ack asks the toolbar to send AckCallLog and waits for its answer.
    ack({ id, crmRef }) {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => { acks.delete(id); reject(new Error("no answer from the toolbar")); }, 10000);
        acks.set(id, { resolve, reject, timer });
        frame.contentWindow.postMessage({ type: "agentlink:ackcalllog", id, crmRef }, toolbarOrigin);
      });
    },
  };
  function settle(m) {
    const p = acks.get(m.id);
    if (!p) return;
    acks.delete(m.id);
    clearTimeout(p.timer);
    if (m.ok) p.resolve(m);
    else p.reject(Object.assign(new Error(m.message || "AckCallLog failed"), { code: m.code }));
  }
}

/** fromSDK follows an AgentLink SDK connection made with lease: true. */
export function fromSDK(al) {
  const mine = () => !al.owner || al.isOwner;
  return {
    listen(on) {
      al.on("Dialog", (d) => mine() && on.dialog(d));
      al.on("DialogEnded", (s) => mine() && on.ended(s, al.keepsCallLog));
      al.on("CallLog", (r) => mine() && on.calllog(r));
      al.on("WrapUp", (s) => mine() && on.wrapup(s));
      al.on("AgentState", (a) => on.agent(a));
    },
    dial: (number) => al.makeCall(number),
    ack: ({ id, crmRef }) => al.ackCallLog(id, crmRef),
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
