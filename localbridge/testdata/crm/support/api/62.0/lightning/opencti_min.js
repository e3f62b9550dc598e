// A stand-in for Salesforce's opencti_min.js, for localbridge/e2e_crm_salesforce_test.go.
// Like the real one, it runs in the adapter page and passes each Open CTI
// call to the Lightning page (window.parent, origin sfdcIframeOrigin), which
// answers with {success, returnValue, errors} for the callback.
(() => {
  const parentOrigin = new URLSearchParams(location.search).get("sfdcIframeOrigin");
  const pending = new Map();
  let n = 0, clickToDial = null;
  addEventListener("message", (e) => {
    if (e.origin !== parentOrigin || e.source !== window.parent) return;
    const m = e.data || {};
    if (m.opencti === "reply" && pending.has(m.id)) {
      const cb = pending.get(m.id);
      pending.delete(m.id);
      if (cb) cb(m.response);
    } else if (m.opencti === "clickToDial" && clickToDial) clickToDial(m.payload);
  });
  const method = (name) => (args = {}) => {
    const id = ++n;
    const { callback, listener, ...rest } = args;
    pending.set(id, callback);
    window.parent.postMessage({ opencti: "call", id, method: name, args: JSON.parse(JSON.stringify(rest)) }, parentOrigin);
  };
  const api = {
    CALL_TYPE: { INBOUND: "inbound", OUTBOUND: "outbound", INTERNAL: "internal" },
    SCREENPOP_TYPE: { SOBJECT: "sobject", URL: "url", OBJECTHOME: "objecthome", LIST: "list", SEARCH: "search", NEW_RECORD_MODAL: "newRecord", FLOW: "flow" },
    onClickToDial: (args) => { clickToDial = args.listener; method("onClickToDial")({}); },
  };
  for (const m of ["searchAndScreenPop", "screenPop", "saveLog", "enableClickToDial", "disableClickToDial", "setSoftphonePanelVisibility", "runApex"]) api[m] = method(m);
  window.sforce = { opencti: api };
})();
