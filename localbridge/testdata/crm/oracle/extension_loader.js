// A stand-in for the Oracle B2C Service Browser UI's extension_loader.js
// (ORACLE_SERVICE_CLOUD.extension_loader), for localbridge/e2e_crm_oracle_test.go.
// Like the real one it runs in an extension's frame and passes each call
// to the Browser UI (window.parent, this site's origin); the stand-in page
// (testdata/crm/oracle-host.html) records and answers it. It implements the
// part of the framework the AgentLink extension uses: load, getGlobalContext
// (getSessionToken, getInterfaceServiceUrl, registerAction, invokeAction),
// registerWorkspaceExtension (editWorkspaceRecord, createWorkspaceRecord,
// updateField, addRecordSavedListener, addNamedEventListener,
// getFieldValues), and registerUserInterfaceExtension (left and right side
// panes, notifications).
(() => {
  const site = location.origin;
  const pending = new Map();
  const listeners = { named: {}, saved: {}, action: {} };
  let n = 0;

  function call(method, ...args) {
    return new Promise((resolve, reject) => {
      const id = ++n;
      pending.set(id, { resolve, reject });
      window.parent.postMessage({ osvc: "call", id, method, args: JSON.parse(JSON.stringify(args)) }, site);
    });
  }

  addEventListener("message", (e) => {
    if (e.origin !== site || e.source !== window.parent) return;
    const m = e.data || {};
    if (m.osvc === "reply" && pending.has(m.id)) {
      const p = pending.get(m.id);
      pending.delete(m.id);
      m.error ? p.reject({ getDesc: () => m.error, message: m.error }) : p.resolve(m.result);
    } else if (m.osvc === "event") {
      const fn = (listeners[m.kind] || {})[m.key];
      if (fn) fn(m);
    }
  });

  function fieldDetails(values) {
    return { getField: (f) => (f in values ? { getLabel: () => f, getValue: () => values[f] } : null) };
  }

  // A workspace record: the global one (no context) or an open editor.
  function record(detail) {
    const d = detail || { objectType: "", objectId: 0, contextId: "" };
    const ws = {
      getWorkspaceRecordType: () => d.objectType,
      getWorkspaceRecordId: () => d.objectId,
      getContextId: () => d.contextId,
      editWorkspaceRecord(type, id, cb) {
        return call("editWorkspaceRecord", type, id).then((r) => { const w = record(r); if (cb) cb(w); return w; });
      },
      createWorkspaceRecord(type, cb) {
        return call("createWorkspaceRecord", type).then((r) => { const w = record(r); if (cb) cb(w); return w; });
      },
      updateField(field, value) { return call("updateField", d.contextId, field, value).then(() => ws); },
      addRecordSavedListener(fn) {
        listeners.saved[d.contextId] = (m) => { d.objectId = m.objectId; fn({ getWorkspaceRecord: () => ws, event: { event: "saved" } }); };
        return ws;
      },
      addNamedEventListener(name, fn) {
        listeners.named[name] = () => fn({ getWorkspaceRecord: () => ws, event: { event: name } });
        return ws;
      },
      getFieldValues: (fields) => call("getFieldValues", d.contextId, fields).then(fieldDetails),
    };
    return ws;
  }

  function sidePane(id, side) {
    const s = { id, side, label: "", contentUrl: "", visible: true, expanded: false, icon: "" };
    return {
      getId: () => id, setLabel: (l) => { s.label = l; }, getLabel: () => s.label,
      setContentUrl: (u) => { s.contentUrl = u; }, getContentUrl: () => s.contentUrl,
      setVisible: (v) => { s.visible = v; }, isExpanded: () => s.expanded,
      createIcon: () => ({ setIconClass: (c) => { s.icon = c; }, setIconColor() {} }), addIcon() {},
      expand: () => { s.expanded = true; call("expandSidePane", id); },
      collapse: () => { s.expanded = false; },
      render: () => { call("renderSidePane", Object.assign({}, s)); },
    };
  }

  const ui = {
    getLeftSidePaneContext: () => Promise.resolve({ getSidePane: (id) => Promise.resolve(sidePane(id, "left")) }),
    getRightSidePaneContext: () => Promise.resolve({ getSidePane: (id) => Promise.resolve(sidePane(id, "right")) }),
    getNotificationContext: () => Promise.resolve({
      createNotificationConfig() {
        const c = { message: "", duration: 0 };
        return { setMessage: (m) => { c.message = m; }, getMessage: () => c.message, setDuration: (s) => { c.duration = s; }, _c: c };
      },
      showNotification: (cfg) => call("showNotification", cfg._c),
    }),
  };

  const global = {
    getInterfaceUrl: () => site, getInterfaceServiceUrl: (kind) => site + "/services/" + String(kind).toLowerCase(),
    getAccountId: () => 7, getProfileId: () => 3,
    getSessionToken: () => call("getSessionToken"),
    invokeAction: (name, param) => call("invokeAction", name, param),
    registerAction(name, fn) {
      listeners.action[name] = (m) => Promise.resolve(fn(m.param)).then(
        (r) => call("actionResult", name, r), (e) => call("actionResult", name, "error: " + (e.message || e)));
      call("registerAction", name);
    },
  };

  window.ORACLE_SERVICE_CLOUD = {
    extension_loader: {
      load(appId, version) {
        return call("load", appId, version || "").then(() => ({
          getApplicationId: () => appId,
          getGlobalContext: () => Promise.resolve(global),
          // The workspace a Workspace extension was loaded with; none for others.
          registerWorkspaceExtension: (fn) => { call("workspaceContext").then((d) => fn(record(d))); },
          registerUserInterfaceExtension: (fn) => fn(ui),
          getLogger: () => ({ trace() {}, debug() {}, info() {}, warn() {}, error() {} }),
        }));
      },
    },
  };
})();
