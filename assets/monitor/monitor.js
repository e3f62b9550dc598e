// Connector Monitor: renders the state the bridge streams over SSE
// (/monitor/api/events). Same origin only; the session cookie authorises it.
const $ = (id) => document.getElementById(id);

function el(tag, text, cls) {
  const e = document.createElement(tag);
  if (text !== undefined) e.textContent = text;
  if (cls) e.className = cls;
  return e;
}

function dl(target, pairs) {
  target.replaceChildren(...pairs.flatMap(([k, v, cls]) => [el("dt", k), el("dd", v || "—", cls)]));
}

function rows(tbody, items, cells, empty) {
  if (!items.length) {
    const td = el("td", empty, "muted");
    td.colSpan = 8;
    tbody.replaceChildren(el("tr"));
    tbody.firstChild.append(td);
    return;
  }
  tbody.replaceChildren(...items.map((it) => {
    const tr = el("tr");
    for (const c of cells(it)) tr.append(c instanceof Node ? wrapTd(c) : el("td", c ?? ""));
    return tr;
  }));
}

function wrapTd(node) {
  const td = el("td");
  td.append(node);
  return td;
}

function since(t) {
  return t ? new Date(t).toLocaleTimeString() : "";
}

// What an origin the agent allows may do besides following events. The
// agent ticks them; dialling out is off unless ticked. Kept across the
// page's live re-renders.
const SCOPES = [
  ["state", "Sign in/out and change your state"],
  ["calls", "Answer, hold, transfer and end calls"],
  ["dial", "Dial numbers for you (click-to-dial)"],
];
const choices = new Map(); // origin -> Set of ticked scopes

function ticked(origin) {
  if (!choices.has(origin)) choices.set(origin, new Set(["state", "calls"]));
  return choices.get(origin);
}

function scopeBoxes(origin) {
  const set = ticked(origin);
  const box = el("span", "", "scopes");
  for (const [name, words] of SCOPES) {
    const label = el("label");
    const cb = el("input");
    cb.type = "checkbox";
    cb.checked = set.has(name);
    cb.dataset.scope = name;
    cb.addEventListener("change", () => (cb.checked ? set.add(name) : set.delete(name)));
    label.append(cb, " " + words);
    box.append(label);
  }
  return box;
}

// pairedItem is a paired origin with a Remove button: its toolbars must
// pair again (the agent confirms a new code).
function pairedItem(origin) {
  const box = el("span", "", "paired-origin");
  const rm = el("button", "Remove");
  rm.title = "Forget this pairing: the site's toolbars are disconnected and must pair again";
  rm.addEventListener("click", async () => {
    if (!confirm(`Remove the pairing of ${origin}? Its toolbars must pair again.`)) return;
    const r = await fetch("/monitor/api/unpair", {
      method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ origin }),
    });
    if (!r.ok) alert((await r.json()).error);
  });
  box.append(origin + " ", rm);
  return box;
}

async function decide(origin, allow) {
  const body = { origin, allow };
  if (allow) body.scopes = [...ticked(origin)];
  const r = await fetch("/monitor/api/origins", {
    method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body),
  });
  if (!r.ok) alert((await r.json()).error);
  else choices.delete(origin);
}

function render(st) {
  const s = st.snapshot.system;
  const a = st.snapshot.agent;
  dl($("finesse"), [
    ["Status", s.status, s.status === "IN_SERVICE" ? "ok" : "bad"],
    ["Node", s.node], ["Host", s.host],
    ["XMPP", s.xmppConnected ? "connected" : "disconnected", s.xmppConnected ? "ok" : "bad"],
    ["Reason", s.reason], ["Bridge", st.addr], ["Version", st.version], ["Event seq", String(st.snapshot.seq)],
  ]);
  dl($("agent"), [
    ["Agent", a.agentId], ["Name", [a.firstName, a.lastName].filter(Boolean).join(" ")],
    ["State", a.state], ["Reason", a.reasonLabel || a.reasonCodeId], ["Pending", a.pendingState],
    ["Extension", a.extension], ["Since", since(a.since)],
  ]);
  rows($("dialogs"), st.snapshot.dialogs, (d) => [d.id, d.state, d.agentState, d.from, d.to, d.callType, d.actions.join(" ")], "No calls");
  const faults = st.faults || [];
  $("faults-open").textContent = String(faults.filter((f) => !f.cleared).length);
  rows($("faults"), faults, (f) => [el("span", f.kind, f.cleared ? "" : "bad"), f.detail, since(f.since),
    f.cleared ? el("span", since(f.cleared), "ok") : el("span", "still open", "bad")], "No faults since AgentLink started");
  const unlogged = st.unlogged || [];
  $("unlogged-count").textContent = String(unlogged.length);
  rows($("unlogged"), unlogged, (u) => [u.id, since(u.endedAt), u.from, u.to, u.wrapUpReason,
    u.pending ? "the wrap-up reason" : u.volatile ? "a CRM tab (kept in memory only: disk not writable)" : "a CRM tab holding screen pops"],
    "None: every ended call is logged");
  rows($("clients"), st.clients, (c) => [c.origin, c.peer, since(c.since), c.agent, c.owner ? "this one" : "", c.id], "No toolbar connected");
  rows($("refused"), st.refusedOrigins, (o) => {
    const box = el("span");
    const allow = el("button", "Allow");
    allow.addEventListener("click", () => decide(o.origin, true));
    const deny = el("button", "Deny");
    deny.addEventListener("click", () => decide(o.origin, false));
    box.append(scopeBoxes(o.origin), allow, deny);
    return [o.origin, String(o.attempts), since(o.lastSeen), box];
  }, "None");
  $("allowed").textContent = st.allowedOrigins.join(", ") || "none";
  const paired = st.pairedOrigins || [];
  $("paired").replaceChildren(...(paired.length ? paired.map(pairedItem) : [el("span", "none")]));
  rows($("audit"), st.audit, (e) => [since(e.at), e.embeddedBy ? `${e.embeddedBy} (toolbar)` : e.origin, e.peer, e.command, e.detail,
    el("span", e.outcome === "ok" ? "ok" : `${e.outcome}: ${e.error}`, e.outcome === "ok" ? "ok" : "bad"),
    String(e.ms), e.client], "No commands yet");
  $("log").replaceChildren(...st.log.map((e) => el("li", `${since(e.at)} ${e.kind}: ${e.message}`, e.level)));
}

const es = new EventSource("/monitor/api/events");
es.addEventListener("state", (e) => {
  $("live").textContent = "Live";
  render(JSON.parse(e.data));
});
es.onerror = () => {
  $("live").textContent = "Disconnected from AgentLink; retrying…";
};
