// A stand-in for Dynamics 365's msdyn_ciLibrary.js (Channel Integration
// Framework 1.0), for localbridge/e2e_crm_dynamics_test.go. Like the real
// one, it passes each call to the Dynamics page (window.parent, origin
// data-crmurl) and resolves its promise with the answer (a JSON string).
(() => {
  const crm = document.currentScript.dataset.crmurl;
  const pending = new Map(), handlers = {};
  let n = 0;
  addEventListener("message", (e) => {
    if (e.origin !== crm || e.source !== window.parent) return;
    const m = e.data || {};
    if (m.cif === "reply" && pending.has(m.id)) {
      const p = pending.get(m.id);
      pending.delete(m.id);
      m.error ? p.reject(new Error(m.error)) : p.resolve(m.result);
    } else if (m.cif === "event" && handlers[m.name]) handlers[m.name](m.param);
  });
  const method = (name) => (...args) => new Promise((resolve, reject) => {
    const id = ++n;
    pending.set(id, { resolve, reject });
    window.parent.postMessage({ cif: "call", id, method: name, args }, crm);
  });
  const api = { addHandler: (name, fn) => { handlers[name] = fn; return Promise.resolve(true); } };
  for (const m of ["searchAndOpenRecords", "openForm", "createRecord", "setClickToAct", "setMode"]) api[m] = method(m);
  window.Microsoft = { CIFramework: api };
})();
