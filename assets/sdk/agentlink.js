// agentlink.js — the AgentLink bridge SDK (protocol v1). An ES module with no
// build step. Host it on the CRM's own web server (docs/crm-admin.md): a
// copy loaded from the bridge's port would be whatever program holds that
// port.
//
//   import { AgentLink } from "/vendor/agentlink/agentlink.js";
//   const al = new AgentLink();
//   al.on("AgentState", (a) => console.log(a.state));
//   al.on("state", (s) => console.log(s.state, s.message));
//   al.on("pairing", (p) => askTheAgentForTheCode(p.message)); // then al.pair(code)
//   al.start();
//   await al.ready();
//   await al.setState("READY");
//
// It finds this agent's AgentLink among the ports of DEFAULT_PORTS, pairs
// this site with it on first use (the agent types the code AgentLink shows),
// and from then on refuses any bridge that cannot prove it holds the pairing
// key. It reconnects with capped, jittered backoff, does the Hello/Connect
// handshake itself, resumes with "since" after a drop (emitting "snapshot"
// when the bridge could not replay), and tells a blocked connection (browser
// Local Network Access, origin not allowed, a failed proof) from an app that
// is not running. docs/bridge-protocol.md describes the wire protocol.

import { encryptSecurePassword } from "./des.js";

export { encryptSecurePassword };

export const DEFAULT_URL = "ws://127.0.0.1:28445/v1/bridge";

/**
 * The ports AgentLink may listen on: each user session of a shared host
 * gets its own port of this range, and the SDK finds the one that proves it
 * is this agent's AgentLink (docs/bridge-protocol.md).
 */
export const DEFAULT_PORTS = [28445, 28446, 28447, 28448, 28449, 28450, 28451, 28452, 28453, 28454];

/** An error answer of the bridge, or a local failure (timeout, closed). */
export class AgentLinkError extends Error {
  constructor(code, message, finesse, delivery, requestId) {
    super(message);
    this.name = "AgentLinkError";
    this.code = code;
    this.finesse = finesse || null;
    // Whether a failed command reached Finesse: "not_delivered" (nothing
    // happened, safe to retry), "unconfirmed" (it may have: a
    // CommandOutcome event with this requestId follows), or "".
    this.delivery = delivery || "";
    this.requestId = requestId || "";
  }
}

const EVENT_NAMES = ["System", "AgentState", "Dialog", "DialogEnded", "WrapUp", "Error", "Owner", "CommandOutcome", "MediaState", "CallLog", "Queues", "TeamMessage"];

export class AgentLink {
  /**
   * @param {object} [opts]
   * @param {string} [opts.url] one bridge WebSocket URL (default: try
   *   ws://127.0.0.1:PORT/v1/bridge for each of opts.ports)
   * @param {number[]} [opts.ports] the ports to try (default DEFAULT_PORTS)
   * @param {boolean} [opts.requireProof] refuse a bridge that cannot prove
   *   it holds this site's pairing key, pairing on first use (default
   *   true; false only for the bridge's own demo pages and legacy set-ups)
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
    this.url = opts.url || "";
    this.host = opts.host || "127.0.0.1";
    this.ports = opts.ports || DEFAULT_PORTS;
    this.requireProof = opts.requireProof ?? true;
    this.probeTimeout = opts.probeTimeout ?? 5000;
    this.bridgeUrl = ""; // the URL of the AgentLink in use
    this._run = 0; // bumped by each _open, so a stale search gives up
    this._pairing = null; // a pairing waiting for the agent's code
    this.agentId = opts.agentId || "";
    this.timeout = opts.timeout ?? 20000;
    this.minBackoff = opts.minBackoff ?? 500;
    this.maxBackoff = opts.maxBackoff ?? 15000;
    this.lease = !!opts.lease;
    this.embeddedBy = opts.embeddedBy || ""; // the bridge's own pages: the origin framing them
    this.owner = null; // the Owner event's data, when taking part in the lease
    this.lastSeq = 0;
    this.epoch = ""; // the event stream lastSeq belongs to (Connect's epoch)
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
    this._run++;
    clearTimeout(this._timer);
    if (this._pairing) closeAll(this._pairing.cands);
    this._pairing = null;
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

  // _open finds this agent's AgentLink: it tries each bridge URL in turn
  // (on a shared host every user's AgentLink has its own port of the
  // range), skips those that refuse or fail the proof, and connects to the
  // first that proves it holds this site's pairing key. With no key yet, it
  // pairs (the agent types the code AgentLink shows); see
  // docs/bridge-protocol.md, "Pairing and proof".
  async _open() {
    this._setState("connecting", "", "Connecting to AgentLink…");
    const run = ++this._run;
    const key = this.requireProof ? await loadPairingKey() : null;
    const refused = [];
    const unpaired = [];
    for (const url of this._urls()) {
      if (this._stopped || run !== this._run) return;
      try {
        const p = await this._probe(url, key);
        if (p.status === "ready") {
          closeAll(unpaired);
          this._adopt(p.ws, p.url);
          return;
        }
        unpaired.push(p);
      } catch (e) {
        if (e instanceof ProofError) refused.push(e);
      }
    }
    if (this._stopped || run !== this._run) return closeAll(unpaired);
    if (unpaired.length) {
      this._pairWith(unpaired, !!key, run);
      return;
    }
    this._retry(refused.length ? proofDiag(refused) : await this._diagnose());
  }

  _urls() {
    if (this.url) return [this.url];
    return this.ports.map((p) => `ws://${this.host}:${p}/v1/bridge`);
  }

  // _probe opens one candidate and runs Hello. It resolves with the socket
  // when the bridge proved itself (and this client proved itself back), or
  // when it knows no key for this site (status "unpaired"); it rejects when
  // nothing answers or the proof fails.
  _probe(url, key) {
    return new Promise((resolve, reject) => {
      let ws;
      try {
        ws = new WebSocket(url);
      } catch (e) {
        reject(e);
        return;
      }
      let settled = false;
      const fail = (e) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        ws.onclose = null;
        try { ws.close(4000, "not this one"); } catch { /* closed already */ }
        reject(e);
      };
      const timer = setTimeout(() => fail(new Error("no answer")), this.probeTimeout);
      ws.onmessage = (ev) => this._onMessage(ev.data, ws);
      ws.onclose = () => fail(new Error("closed"));
      ws.onopen = () => {
        this._hello(ws, url, key).then(({ status, hello }) => {
          if (settled) return;
          settled = true;
          clearTimeout(timer);
          resolve({ ws, url, status, hello });
        }, fail);
      };
    });
  }

  async _hello(ws, url, key) {
    const challenge = this.requireProof ? nonce() : "";
    const args = {};
    if (this.embeddedBy) args.embeddedBy = this.embeddedBy;
    if (challenge) args.challenge = challenge;
    const hello = await this._send("Hello", args, ws);
    if (!this.requireProof) {
      this.hello = hello;
      return { status: "ready", hello };
    }
    const pr = hello.pairing;
    if (!pr || !pr.nonce) {
      throw new ProofError(url, "no-proof", "it does not take part in pairing, so it cannot prove it is AgentLink");
    }
    if (!key || !pr.paired) return { status: "unpaired", hello };
    const ok = await verifyMac(key, pr.proof, L.proofBridge, location.origin, challenge, pr.nonce);
    if (!ok) throw new ProofError(url, "proof-failed", "it does not hold this site's pairing key");
    const res = await this._send("Prove", { proof: await mac(key, L.proofToolbar, location.origin, challenge, pr.nonce) }, ws);
    if (res.scopes) hello.scopes = res.scopes;
    this.hello = hello;
    return { status: "ready", hello };
  }

  // _pairWith starts a pairing with every candidate that answered but knew
  // no key for this site, and waits for the agent to type the code their
  // AgentLink shows: only the candidate whose code matches is the agent's
  // own AgentLink (another user's refuses the connection; a squatter cannot
  // make AgentLink show its code).
  async _pairWith(cands, hadKey, run) {
    const started = [];
    for (const c of cands) {
      try {
        started.push(await this._pairStart(c));
      } catch (e) {
        try { c.ws.close(4000, "pairing failed"); } catch { /* closed */ }
      }
    }
    if (this._stopped || run !== this._run) return closeAll(started);
    if (!started.length) {
      this._retry({ state: "blocked", reason: "pairing-failed", message: "AgentLink did not start pairing with this site; retrying…" });
      return;
    }
    let alive = started.length;
    for (const c of started) {
      c.ws.onclose = () => {
        if (--alive === 0 && this._pairing && this._pairing.run === run) {
          this._pairing = null;
          this._retry({ state: "closed", reason: "pairing-ended", message: "Pairing ended; starting again…" });
        }
      };
    }
    this._pairing = { run, cands: started };
    // AgentLink forgets a pairing request after 2 minutes: start afresh
    // (with a new code) rather than wait for a code nobody can see.
    const p = this._pairing;
    setTimeout(() => {
      if (this._pairing !== p || p.confirming) return;
      this._pairing = null;
      closeAll(started);
      this._retry({ state: "closed", reason: "pairing-expired", message: "The pairing code expired; starting again…" });
    }, PAIR_WAIT - 10000);
    const message = (hadKey ? "AgentLink on this computer no longer knows this site. " : "") +
      "Pair this site with AgentLink: type the 6-digit code that AgentLink shows, then allow the pairing in AgentLink. " +
      "If AgentLink shows no code, type nothing: something else answered.";
    this._setState("pairing", "pairing", message);
    this._emit("pairing", { origin: location.origin, message });
  }

  async _pairStart(c) {
    const kp = await crypto.subtle.generateKey({ name: "ECDH", namedCurve: "P-256" }, false, ["deriveBits"]);
    const pub = b64(await crypto.subtle.exportKey("raw", kp.publicKey));
    const n = nonce();
    const commit = b64(await sha256(L.commit + "\n" + pub + "\n" + n));
    const begin = await this._send("PairBegin", { commit }, c.ws);
    await this._send("PairReveal", { toolbarKey: pub, nonce: n }, c.ws);
    const bridgePub = await crypto.subtle.importKey("raw", unb64(begin.bridgeKey), { name: "ECDH", namedCurve: "P-256" }, false, []);
    const z = await crypto.subtle.deriveBits({ name: "ECDH", public: bridgePub }, kp.privateKey, 256);
    const script = [L.transcript, location.origin, pub, begin.bridgeKey, n, begin.nonce].join("\n");
    const hk = await crypto.subtle.importKey("raw", z, "HKDF", false, ["deriveKey"]);
    // Not extractable: script in this origin can use the key, never read it.
    const key = await crypto.subtle.deriveKey(
      { name: "HKDF", hash: "SHA-256", salt: await sha256(script), info: new TextEncoder().encode(L.key) },
      hk, { name: "HMAC", hash: "SHA-256", length: 256 }, false, ["sign", "verify"]);
    const h = await sha256(L.sas + "\n" + script);
    const code = String(new DataView(h.buffer).getUint32(0) % 1000000).padStart(6, "0");
    return { ...c, key, script, code };
  }

  /**
   * pair completes a pairing with the code AgentLink shows. It resolves
   * once the agent allowed it in AgentLink, and rejects with code
   * "pairing_code" when the code matches no AgentLink that answered.
   */
  async pair(code) {
    const p = this._pairing;
    if (!p) throw new AgentLinkError("not_pairing", "No pairing is waiting for a code.");
    const digits = String(code || "").replace(/\D/g, "");
    const c = p.cands.find((x) => x.code === digits);
    if (!c) {
      throw new AgentLinkError("pairing_code", "That is not the code AgentLink shows. Check it and type it again.");
    }
    let res;
    p.confirming = true;
    try {
      res = await this._send("PairConfirm", { mac: await mac(c.key, L.confirmToolbar, c.script) }, c.ws, null, PAIR_WAIT);
      if (!(await verifyMac(c.key, res.mac, L.confirmBridge, c.script))) {
        throw new AgentLinkError("proof_failed", "AgentLink's answer does not match the pairing: not paired.");
      }
    } catch (e) {
      // Denied, timed out, paired from another tab, or a bad answer: this
      // exchange is over. Start again (another tab's key is found then).
      if (this._pairing === p) {
        this._pairing = null;
        closeAll(p.cands);
        this._retry({ state: "closed", reason: "pairing-ended", message: e.message });
      }
      throw e;
    }
    await savePairingKey(c.key);
    this._pairing = null;
    for (const o of p.cands) if (o !== c) o.ws.close(4000, "paired elsewhere");
    c.ws.onclose = null;
    this.hello = { ...c.hello, scopes: res.scopes || c.hello.scopes };
    this._adopt(c.ws, c.url);
    return {};
  }

  _adopt(ws, url) {
    this._ws = ws;
    this.bridgeUrl = url;
    ws.onclose = (ev) => {
      if (this._ws === ws) this._closed(ev, "", true);
    };
    this._connect(ws).catch((e) => {
      if (this._ws === ws) ws.close(4000, "handshake failed: " + e.message);
    });
  }

  async _connect(ws) {
    const args = {};
    if (this.agentId) args.agentId = this.agentId;
    if (this.lastSeq > 0) {
      args.since = this.lastSeq;
      // A seq only means something in the stream it was read in: a restarted
      // AgentLink starts again at 1 and answers another epoch with a snapshot.
      if (this.epoch) args.epoch = this.epoch;
    }
    if (this.lease) args.lease = true;
    const r = await this._send("Connect", args, ws, (res) => {
      // Runs synchronously as the response arrives, before later frames.
      this._connected = true;
      this.epoch = res.epoch || "";
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

  _onMessage(text, ws) {
    let msg;
    try {
      msg = JSON.parse(text);
    } catch {
      return;
    }
    if (msg.event) {
      if (ws !== this._ws) return; // a candidate that has not proved itself yet
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
      p.reject(new AgentLinkError(e.code || "internal", e.message || "request failed", e.finesse, e.delivery, e.requestId));
    }
  }

  _send(cmd, args, ws, onResult, timeout) {
    const sock = ws || this._ws;
    if (!sock || sock.readyState !== WebSocket.OPEN || (!ws && !this._connected)) {
      return Promise.reject(new AgentLinkError("not_connected", "not connected to AgentLink"));
    }
    const id = "r" + ++this._n;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this._pending.delete(id);
        reject(new AgentLinkError("timeout", cmd + " got no answer in time"));
      }, timeout || this.timeout);
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
    this._retry(opened ? closedByServer(ev) : await this._diagnose());
  }

  // _retry reports why there is no connection and tries again later.
  _retry(diag) {
    if (this._stopped) return;
    this._setState(diag.state, diag.reason, diag.message);
    clearTimeout(this._timer);
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
    const http = this._urls()[0].replace(/^ws/, "http").replace(/\/v1\/bridge.*$/, "/healthz");
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
  // login signs in. No password travels: AgentLink uses the one saved in
  // its keychain, or shows its own sign-in form (the answer is then the
  // error code "sign_in_in_app", and AgentState follows once signed in).
  // secureKey (24 bytes or their base64) selects the legacy
  // UseSecurePassword mode, the only one that sends a password (3DES-wrapped,
  // des.js): weaker, for connectors that cannot change.
  login({ agentId, extension, password, secureKey }) {
    if (secureKey && password) {
      return this._send("Login", { agentId, extension, password: encryptSecurePassword(secureKey, password), securePassword: true });
    }
    if (password) {
      return Promise.reject(new AgentLinkError("password_not_accepted",
        "Passwords are not sent to AgentLink: sign in without one, and AgentLink uses its saved password or asks you in its window."));
    }
    return this._send("Login", dropEmpty({ agentId, extension }));
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
  /** ackCallLog tells AgentLink the CRM confirmed it saved the log of a CallLog offer: it leaves the outbox. */
  ackCallLog(id, crmRef) { return this._send("AckCallLog", { id, crmRef: String(crmRef || "") }); }
  /** keepsCallLog reports whether this AgentLink keeps an outbox and offers CallLog events (the lease holder logs those). */
  get keepsCallLog() { return !!(this.hello && (this.hello.capabilities || []).includes("AckCallLog")); }
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

// ---- pairing and proof (docs/bridge-protocol.md, "Pairing and proof") ----

const L = {
  proofBridge: "agentlink-proof-bridge-v1",
  proofToolbar: "agentlink-proof-toolbar-v1",
  commit: "agentlink-pair-commit-v1",
  transcript: "agentlink-pair-v1",
  sas: "agentlink-pair-sas-v1",
  key: "agentlink-pairing-key-v1",
  confirmToolbar: "agentlink-pair-confirm-toolbar-v1",
  confirmBridge: "agentlink-pair-confirm-bridge-v1",
};

const PAIR_WAIT = 130000; // the bridge waits 2 minutes for the agent

/** A bridge candidate that failed to prove itself. */
class ProofError extends Error {
  constructor(url, reason, why) {
    super(why);
    this.url = url;
    this.reason = reason;
  }
}

function proofDiag(errs) {
  const where = errs.map((e) => e.url.replace(/^ws:\/\/|\/v1\/bridge$/g, "")).join(", ");
  return {
    state: "blocked", reason: "proof-failed",
    message: "Refused to use the program at " + where + ": it answers like AgentLink, but " + errs[0].message +
      ". Nothing was sent to it. Check that AgentLink is running, and tell your IT team: another program may be posing as AgentLink.",
  };
}

function closeAll(cands) {
  for (const c of cands) {
    try { c.ws.onclose = null; c.ws.close(4000, "not used"); } catch { /* closed */ }
  }
}

const enc = new TextEncoder();

function b64(buf) {
  return btoa(String.fromCharCode(...new Uint8Array(buf)));
}

function unb64(s) {
  return Uint8Array.from(atob(s), (c) => c.charCodeAt(0));
}

function nonce() {
  return b64(crypto.getRandomValues(new Uint8Array(32)));
}

async function sha256(s) {
  return new Uint8Array(await crypto.subtle.digest("SHA-256", enc.encode(s)));
}

async function mac(key, ...parts) {
  return b64(await crypto.subtle.sign("HMAC", key, enc.encode(parts.join("\n"))));
}

async function verifyMac(key, got, ...parts) {
  try {
    return await crypto.subtle.verify("HMAC", key, unb64(got || ""), enc.encode(parts.join("\n")));
  } catch {
    return false;
  }
}

// The pairing key lives in this site's IndexedDB as a non-extractable
// CryptoKey: the page can use it, nobody can read it out.
function keyDB() {
  return new Promise((resolve, reject) => {
    const req = indexedDB.open("agentlink", 1);
    req.onupgradeneeded = () => req.result.createObjectStore("keys");
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
}

async function loadPairingKey() {
  try {
    const db = await keyDB();
    return await new Promise((resolve) => {
      const r = db.transaction("keys").objectStore("keys").get("pairing");
      r.onsuccess = () => resolve(r.result ? r.result.key : null);
      r.onerror = () => resolve(null);
    });
  } catch {
    return null;
  }
}

async function savePairingKey(key) {
  const db = await keyDB();
  await new Promise((resolve, reject) => {
    const tx = db.transaction("keys", "readwrite");
    tx.objectStore("keys").put({ key, paired: new Date().toISOString() }, "pairing");
    tx.oncomplete = resolve;
    tx.onerror = () => reject(tx.error);
  });
}

function dropEmpty(o) {
  const out = {};
  for (const [k, v] of Object.entries(o)) if (v !== undefined && v !== null && v !== "") out[k] = v;
  return out;
}
