// The CRM's own store of call logs, for the stand-in host pages whose CRM
// lives in the page (sap-, salesforce- and dynamics-host.html). A real CRM
// keeps what it saved across the agent's tabs and reloads, so this keeps it
// in the host origin's localStorage. It also gives every stand-in the same
// test hook, window.__crm (oracle-host.html has the same one, backed by the
// site's server), used by cmd/agentlink/crm_exactlyonce_test.go:
//   saved()        every call log the CRM holds: [{crmId, ref, disposition, duration}]
//   failNextSave() the CRM refuses the next save (it answers with an error)
//   holdNextSave() the CRM gets the next save but neither keeps nor answers
//                  it until release(); a reload meanwhile loses it, as a
//                  save the CRM never completed
//   held()         whether a save is being held (in any tab)
//   refused()      how many saves the CRM refused
//   add(record)    a log the CRM held already (a test's fixture), as is
//   release()      complete the held save: kept, and answered
// The host page calls __crm.save(record, answer) for each save it gets:
// record {ref, disposition, duration, idPrefix (of the CRM's ids), ...the
// CRM's own fields}; answer(err, crmId) replies to the adapter.
(() => {
  const SAVES = "crmstandin.saves", NEXT = "crmstandin.next", HELD = "crmstandin.held", REFUSED = "crmstandin.refused";
  const read = (k, d) => {
    try { const v = JSON.parse(localStorage.getItem(k)); return v === null ? d : v; } catch { return d; }
  };
  const write = (k, v) => localStorage.setItem(k, JSON.stringify(v));
  let holding = null; // this tab's held save
  localStorage.removeItem(HELD); // a held save died with the page that held it
  window.__crm = {
    saved: () => read(SAVES, []),
    failNextSave() { write(NEXT, "fail"); return true; },
    holdNextSave() { write(NEXT, "hold"); return true; },
    held: () => read(HELD, false),
    refused: () => read(REFUSED, 0),
    add(record) { write(SAVES, read(SAVES, []).concat([record])); return true; },
    release() {
      const h = holding;
      holding = null;
      localStorage.removeItem(HELD);
      if (h) h();
      return !!h;
    },
    save(record, answer) {
      const next = read(NEXT, "");
      localStorage.removeItem(NEXT);
      if (next === "fail") {
        write(REFUSED, read(REFUSED, 0) + 1);
        answer(new Error("the CRM is unavailable (test: failNextSave)"));
        return;
      }
      const commit = () => {
        const all = read(SAVES, []);
        const crmId = (record.idPrefix || "log-") + (all.length + 1);
        all.push(Object.assign({}, record, { crmId, idPrefix: undefined, createdAt: new Date().toISOString() }));
        write(SAVES, all);
        answer(null, crmId);
      };
      if (next === "hold") {
        holding = commit;
        write(HELD, true);
        return;
      }
      commit();
    },
  };
})();
