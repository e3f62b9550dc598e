// agentlink.js — the AgentLink bridge SDK (protocol v1). An ES module with no
// build step: import it from the bridge itself,
//
//   import { AgentLink } from "http://127.0.0.1:28445/sdk/agentlink.js";
//   const al = new AgentLink();
//   al.on("AgentState", (a) => console.log(a.state));
//   al.on("state", (s) => console.log(s.state, s.message));
//   al.start();
//   await al.ready();
//   await al.setState("READY");
//
// It reconnects with capped, jittered backoff, does the Hello/Connect
// handshake itself, resumes with "since" after a drop (emitting "snapshot"
// when the bridge could not replay), and tells a blocked connection (browser
// Local Network Access, origin not allowed) from an app that is not running.
// docs/bridge-protocol.md describes the wire protocol.

import { encryptSecurePassword } from "./des.js";

export { encryptSecurePassword };

export const DEFAULT_URL = "ws://127.0.0.1:28445/v1/bridge";

/** An error answer of the bridge, or a local failure (timeout, closed). */
export class AgentLinkError extends Error {
  constructor(code, message, finesse) {
    super(message);
    this.name = "AgentLinkError";
    this.code = code;
    this.finesse = finesse || null;
  }
}

const EVENT_NAMES = ["System", "AgentState", "Dialog", "DialogEnded", "WrapUp", "Error", "Owner"];

export class AgentLink {
  /**
   * @param {object} [opts]
   * @param {string} [opts.url] bridge WebSocket URL
   * @param {string} [opts.agentId] sent with Connect
   * @param {number} [opts.timeout] command timeout in ms (default 20000)
   * @param {number} [opts.minBackoff] first reconnect delay in ms (default 500)
   * @param {number} [opts.maxBackoff] reconnect delay cap in ms (default 15000)
   * @param {string} [opts.embeddedBy] for pages served by the bridge and framed
   *   by a CRM: that CRM's origin, whose scopes then apply
   * @param {boolean} [opts.lease] take part in the screen-pop lease: of all
   *   the tabs that do, one at a time is the owner (see isOwner)
   */
  constructor(opts = {}) {
    this.url = opts.url || DEFAULT_URL;
    this.agentId = opts.agentId || "";
    this.timeout = opts.timeout ?? 20000;
    this.minBackoff = opts.minBackoff ?? 500;
    this.maxBackoff = opts.maxBackoff ?? 15000;
    this.lease = !!opts.lease;
    this.embeddedBy = opts.embeddedBy || ""; // the bridge's own pages: the origin framing them
    this.owner = null; // the Owner event's data, when taking part in the lease
    this.lastSeq = 0;
    this.state = "idle";
    this.snapshot = null;
    this.hello = null;
    this._handlers = new Map();
    this._pending = new Map();
    this._n = 0;
    this._ws = null;
    this._attempt = 0;
    this._stopped = true;
    this._timer = null;
    this._everOpened = false;
    this._connected = false;
  }

  /** on subscribes to an event; it returns a function that unsubscribes. */
  on(name, fn) {
    if (!this._handlers.has(name)) this._handlers.set(name, new Set());
    this._handlers.get(name).add(fn);
    return () => this.off(name, fn);
  }

  off(name, fn) {
    this._handlers.get(name)?.delete(fn);
  }

  _emit(name, ...args) {
    for (const fn of this._handlers.get(name) || []) {
      try {
        fn(...args);
      } catch (e) {
        console.error("agentlink: handler for", name, "failed", e);
      }
    }
  }

  _setState(state, reason = "", message = "") {
    this.state = state;
    this._emit("state", { state, reason, message });
  }

  /** start connects and keeps reconnecting until stop. */
  start() {
    if (!this._stopped) return;
    this._stopped = false;
    this._open();
  }

  /** stop closes the connection. The agent stays logged in at Finesse. */
  stop() {
    this._stopped = true;
    clearTimeout(this._timer);
    if (this._ws) this._ws.close(1000, "stopped");
    this._ws = null;
    this._connected = false;
    this._setState("closed", "stopped", "Disconnected.");
  }

  /** ready resolves once connected (handshake done). */
  ready() {
    if (this.state === "open") return Promise.resolve();
    return new Promise((resolve) => {
      const off = this.on("state", (s) => {
        if (s.state === "open") {
          off();
          resolve();
        }
      });
    });
  }

  _open() {
    this._setState("connecting", "", "Connecting to AgentLink…");
    let ws;
    try {
      ws = new WebSocket(this.url);
    } catch (e) {
      this._closed(null, String(e));
      return;
    }
    this._ws = ws;
    let opened = false;
    ws.onopen = () => {
      opened = true;
      this._handshake(ws).catch((e) => {
        if (this._ws === ws) ws.close(4000, "handshake failed: " + e.message);
      });
    };
    ws.onmessage = (ev) => this._onMessage(ev.data);
    ws.onclose = (ev) => {
      if (this._ws === ws) this._closed(ev, "", opened);
    };
  }

  async _handshake(ws) {
    this.hello = await this._send("Hello", this.embeddedBy ? { embeddedBy: this.embeddedBy } : {}, ws);
    const args = {};
    if (this.agentId) args.agentId = this.agentId;
    if (this.lastSeq > 0) args.since = this.lastSeq;
    if (this.lease) args.lease = true;
    const r = await this._send("Connect", args, ws, (res) => {
      // Runs synchronously as the response arrives, before later frames.
      this._connected = true;
      if (!res.resumed) {
        this.snapshot = res.snapshot;
        this.lastSeq = res.seq;
      }
    });
    this._everOpened = true;
    this._attempt = 0;
    this._setState("open", r.resumed ? "resumed" : "", "Connected to AgentLink.");
    if (!r.resumed) this._emit("snapshot", r.snapshot);
  }

  _onMessage(text) {
    let msg;
    try {
      msg = JSON.parse(text);
    } catch {
      return;
    }
    if (msg.event) {
      if (msg.event === "Owner") this.owner = msg.data;
      if (this._connected && msg.seq) {
        if (msg.seq <= this.lastSeq && msg.event !== "System") return; // already seen
        this.lastSeq = Math.max(this.lastSeq, msg.seq);
      }
      this._emit(msg.event, msg.data, msg.seq);
      this._emit("event", msg);
      return;
    }
    const p = this._pending.get(msg.id);
    if (!p) return;
    this._pending.delete(msg.id);
    clearTimeout(p.timer);
    if (msg.ok) {
      if (p.onResult) p.onResult(msg.result || {});
      p.resolve(msg.result || {});
    } else {
      const e = msg.error || {};
      p.reject(new AgentLinkError(e.code || "internal", e.message || "request failed", e.finesse));
    }
  }

  _send(cmd, args, ws, onResult) {
    const sock = ws || this._ws;
    if (!sock || sock.readyState !== WebSocket.OPEN || (!ws && !this._connected)) {
      return Promise.reject(new AgentLinkError("not_connected", "not connected to AgentLink"));
    }
    const id = "r" + ++this._n;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this._pending.delete(id);
        reject(new AgentLinkError("timeout", cmd + " got no answer in time"));
      }, this.timeout);
      this._pending.set(id, { resolve, reject, timer, onResult });
      sock.send(JSON.stringify({ id, cmd, args: args || {} }));
    });
  }

  /** command sends any protocol command and resolves with its result. */
  command(cmd, args) {
    return this._send(cmd, args);
  }

  async _closed(ev, detail, opened) {
    this._ws = null;
    this._connected = false;
    for (const [, p] of this._pending) {
      clearTimeout(p.timer);
      p.reject(new AgentLinkError("closed", "connection to AgentLink closed"));
    }
    this._pending.clear();
    if (this._stopped) return;
    const diag = opened ? closedByServer(ev) : await this._diagnose();
    this._setState(diag.state, diag.reason, diag.message);
    const delay = Math.min(this.maxBackoff, this.minBackoff * 2 ** this._attempt++);
    this._timer = setTimeout(() => this._open(), delay / 2 + Math.random() * delay / 2);
  }

  // _diagnose explains a connection that never opened. A no-cors fetch
  // reaches the bridge even when our origin is refused (the answer is just
  // opaque), so: fetch ok -> the bridge refused us; fetch failed -> the app
  // is not running, or the browser blocked the local network request.
  async _diagnose() {
    const lna = await localNetworkPermission();
    if (lna === "denied") {
      return { state: "blocked", reason: "local-network-blocked", message: LNA_DENIED };
    }
    const http = this.url.replace(/^ws/, "http").replace(/\/v1\/bridge.*$/, "/healthz");
    try {
      await fetch(http, { mode: "no-cors", cache: "no-store", targetAddressSpace: "loopback" });
      return {
        state: "blocked", reason: "origin-not-allowed",
        message: "AgentLink is running but refused this site (" + location.origin +
          "). Ask your administrator to add it to allowed_origins, or allow it from the AgentLink tray menu.",
      };
    } catch {
      if (lna === "prompt" || (isSecureContext && !isLoopback(location.hostname))) {
        return { state: "blocked", reason: "local-network-blocked-or-not-running", message: LNA_MAYBE };
      }
      return { state: "closed", reason: "not-running", message: "AgentLink is not running on this computer. Start it, then wait: this page reconnects by itself." };
    }
  }

  // Commands. Each resolves with the bridge's result or rejects with an
  // AgentLinkError (err.code is one of the protocol's error codes).
  // login signs in. Leave password out to use the one saved in AgentLink.
  // secureKey (24 bytes or their base64) selects the legacy
  // UseSecurePassword mode: the password travels 3DES-wrapped (des.js).
  login({ agentId, extension, password, secureKey }) {
    if (secureKey && password) {
      return this._send("Login", { agentId, extension, password: encryptSecurePassword(secureKey, password), securePassword: true });
    }
    return this._send("Login", dropEmpty({ agentId, extension, password }));
  }
  logout(reasonCodeId) { return this._send("Logout", dropEmpty({ reasonCodeId })); }
  setState(state, reasonCodeId) { return this._send("SetState", dropEmpty({ state, reasonCodeId })); }
  makeCall(number) { return this._send("MakeCall", { number }); }
  answer(dialogId) { return this._send("Answer", dropEmpty({ dialogId })); }
  hold(dialogId) { return this._send("Hold", dropEmpty({ dialogId })); }
  retrieve(dialogId) { return this._send("Retrieve", dropEmpty({ dialogId })); }
  release(dialogId) { return this._send("Release", dropEmpty({ dialogId })); }
  consult(dialogId, number) { return this._send("Consult", dropEmpty({ dialogId, number })); }
  transfer(dialogId) { return this._send("Transfer", dropEmpty({ dialogId })); }
  conference(dialogId) { return this._send("Conference", dropEmpty({ dialogId })); }
  singleStepTransfer(dialogId, number) { return this._send("SingleStepTransfer", dropEmpty({ dialogId, number })); }
  sendDTMF(dialogId, digits) { return this._send("SendDTMF", dropEmpty({ dialogId, digits })); }
  updateCallData(dialogId, variables) { return this._send("UpdateCallData", dropEmpty({ dialogId, variables })); }
  setWrapUp(dialogId, reason) { return this._send("SetWrapUp", dropEmpty({ dialogId, reason })); }
  getReasonCodes(category) { return this._send("GetReasonCodes", { category }); }
  getWrapUpReasons() { return this._send("GetWrapUpReasons", {}); }
  getPhoneBook() { return this._send("GetPhoneBook", {}); }
  getState() { return this._send("GetState", {}); }
  ping() { return this._send("Ping", {}); }

  /**
   * isOwner reports whether this client holds the screen-pop lease: only
   * the owner should pop CRM records and log calls, so an agent with several
   * CRM tabs gets one pop and one activity per call. Always false without
   * opts.lease.
   */
  get isOwner() {
    return !!(this.lease && this.owner && this.hello && this.owner.clientId === this.hello.clientId);
  }

  /** claimOwner makes this client the owner (and a lease participant). */
  async claimOwner() {
    this.lease = true;
    const o = await this._send("ClaimOwner", {});
    this.owner = o;
    this._emit("Owner", o, 0);
    return o;
  }
}

export { EVENT_NAMES };

const LNA_DENIED = "Your browser blocks this site from reaching AgentLink on this computer " +
  "(Local Network Access). Allow \"local network\" / \"apps on this device\" for this site " +
  "in the address bar's site settings, then reload.";
const LNA_MAYBE = "Cannot reach AgentLink on this computer. Either AgentLink is not running, " +
  "or the browser blocked this site from reaching local apps (Local Network Access): " +
  "check the permission prompt or site settings, or ask your administrator.";

function closedByServer(ev) {
  const code = ev ? ev.code : 1006;
  if (code === 1013 || code === 1008) {
    return { state: "closed", reason: "too-slow", message: "Reconnecting to AgentLink (this tab fell behind)…" };
  }
  if (code === 1009) {
    return { state: "closed", reason: "message-too-big", message: "AgentLink closed the connection: a message was too big." };
  }
  return { state: "closed", reason: "connection-lost", message: "Lost the connection to AgentLink; reconnecting…" };
}

async function localNetworkPermission() {
  if (!navigator.permissions) return "";
  for (const name of ["loopback-network", "local-network-access", "local-network"]) {
    try {
      const st = await navigator.permissions.query({ name });
      return st.state;
    } catch {
      // This browser does not know that permission name.
    }
  }
  return "";
}

function isLoopback(host) {
  return host === "localhost" || host === "[::1]" || /^127\./.test(host);
}

function dropEmpty(o) {
  const out = {};
  for (const [k, v] of Object.entries(o)) if (v !== undefined && v !== null && v !== "") out[k] = v;
  return out;
}
