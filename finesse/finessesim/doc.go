// Package finessesim is a standalone emulation of a two-node Cisco Finesse
// deployment (side A and side B sharing one call model), built from the
// reference /work/shared/reference/finesse-protocol.md (§1–8, especially §8
// "What a faithful simulator must do"), not from our client. It imports
// neither core nor finesse and has its own wire types.
//
// # What runs
//
// [Start] creates an in-memory CA (ECDSA P-256), a leaf certificate per node
// (SANs 127.0.0.1, ::1, localhost, the node's XMPP domain and its pubsub
// subdomain) and writes the CA to CADir/ca.pem. Each [Node] then serves:
//
//   - REST under /finesse/api over HTTPS (or plain HTTP): SystemInfo;
//     User/{id} GET/PUT; User/{id}/Dialogs GET/POST (MAKE_CALL);
//     Dialog/{id} GET/PUT (ANSWER, HOLD, RETRIEVE, DROP, TRANSFER_SST,
//     CONSULT_CALL, TRANSFER, CONFERENCE, SEND_DTMF, UPDATE_CALL_DATA);
//     User/{id}/ReasonCodes?category=, User/{id}/ReasonCode/{rid},
//     TeamResource/{team}/ReasonCodes|WrapUpReasons|PhoneBooks|MediaPropertiesLayouts
//     (team layouts: Config.TeamLayouts, control PUT /teams/{tid}/layouts),
//     User/{id}/WrapUpReasons|PhoneBooks|Queues, PhoneBook/{id}/Contacts,
//     User/{id}/MediaPropertiesLayout and …Layouts (Config.Layouts),
//     Queue/{id}, Team/{id}, Team/{id}/TeamMessages; Range paging of phone books
//     (phonebook_range.go). Basic auth everywhere; 202 with an empty body for accepted
//     PUT/POST; 4xx with ApiErrors bodies; async apiErrors notifications.
//   - An XMPP notification service (mellium.im/xmpp receiving sessions):
//     direct TLS (Finesse 5223) and STARTTLS (5222), SASL PLAIN with the
//     agent credentials, resource binding, session, presence, empty roster,
//     XEP-0199 pings both ways (a client silent for three ping intervals is
//     dropped), minimal disco, the presence of the "finesse" user
//     ([Sim.SetFinessePresence]), and XEP-0060 subscribe and unsubscribe
//     answered with success; /finesse/api/Team/{id}/Users then carries summary
//     user events of the team, /finesse/api/Queue/{id} a Queue PUT when the control
//     API changes it, and /finesse/api/Team/{id}/TeamMessages team messages
//     (queue_board.go). Notifications use Finesse's exact
//     wrapper (§6.1) with the Update as escaped text, addressed to the full
//     JID, from pubsub.<domain>, on /finesse/api/User/{id},
//     /finesse/api/User/{id}/Dialogs and /finesse/api/SystemInfo. There is
//     no history replay after a reconnect. Stream negotiation is mellium's;
//     a byte filter in front of it drops whitespace between elements
//     (">" whitespace "<"), because mellium's receiving negotiator rejects
//     the newline that go-xmpp and slixmpp write after each element.
//
// Node A's XMPP domain is finesse-a.sim.test, node B's finesse-b.sim.test;
// SystemInfo's primaryNode/secondaryNode carry these hosts with the real
// ports. Connect to [Node.Host] and verify TLS against [Node.XMPPDomain]
// (or 127.0.0.1).
//
// # Call model
//
// One model serves both nodes: REST on either node acts on it, and every
// notification goes to the agent's sessions on every node that is in
// service. The requestId header of a REST request is echoed in every event
// it causes, including the copies other agents receive (a consulted agent,
// say); events from timers, far-end actions or the control API carry an
// empty requestId. Agent states follow §4.3; incoming calls §8.6; post-call and
// wrap-up §8.7; pending states §8.8; hold/consult/transfer/conference §3.6
// and §8.10; MAKE_CALL §8.11. Dialog ids are numeric strings from a
// counter. Every random choice (Random event order, external answer
// delays) comes from Config.Seed.
//
// Simulator choices where the reference is silent or marked [?]:
//
//   - LOGIN accepts only the agent's configured extension (else 400 Invalid Input).
//   - A locked account answers 401 ErrorType "Authorization Failure",
//     ErrorMessage "ACCOUNT_LOCKED"; a wrong password "UNAUTHORIZED". REST
//     and XMPP share the failure counter.
//   - Asynchronous action failures are errorType "Generic Error",
//     errorMessage "CF_INVALID_OBJECT_STATE", errorData "22".
//   - Ring-no-answer reason code is 32767; outbound from READY (UCCE) 50006;
//     forced logout 255 (pending until the call ends if on a call).
//   - Back IN_SERVICE, the republication is a User PUT per signed-in agent
//     plus a Dialog PUT per dialog, sent only to that node's sessions.
//   - A successful SEND_DTMF publishes nothing (digits are visible in [Sim.Dialogs]).
//   - The User state is derived from the agent's call legs: TALKING if any
//     leg is active or dialing, HOLD (UCCE) if all are held, RESERVED while
//     a routed call rings. Direct (non-routed) calls do not reserve a READY agent.
//
// Magic destination numbers for MAKE_CALL, CONSULT_CALL and TRANSFER_SST:
// a number containing "BUSY" (e.g. "555-BUSY") fails with stateCause BUSY;
// a number starting with "0000" fails with BAD_DESTINATION; a signed-in
// agent's extension rings that agent; anything else is an external party
// that answers after Config.ExternalAnswerDelay plus a seeded jitter.
//
// # Control API
//
// HTTP JSON on Config.ControlAddr (loopback peers only), mirroring the Go
// methods:
//
//	POST   /calls                 {"agentId":"1001"} or {"queue":"Sales"}, optional "ani", "dnis", "callType",
//	                              "variables":[{"name":"callVariable1","value":"x"}] -> 201 {"dialogId":"..."}
//	DELETE /calls/{id}            far-end hang-up -> 204
//	POST   /nodes/{A|B}/status    {"inService":false} -> 204
//	POST   /nodes/{A|B}/kill      close listeners and connections -> 204
//	POST   /nodes/{A|B}/restore   listen again on the same ports -> 204
//	POST   /nodes/{A|B}/drop-xmpp cut every XMPP session -> 204
//	POST   /nodes/{A|B}/fault     {"status":503,"latencyMs":200} ({} clears) -> 204
//	POST   /nodes/{A|B}/finesse-presence {"available":false} -> 204
//	POST   /queues/{id}           {"callsInQueue":3,"longestWaitSec":95} -> 204
//	POST   /teams/{id}/messages   {"from":"Sam Super","content":"...","durationSec":300} -> 201 {"id":"tm-1"}
//	DELETE /teams/{id}/messages/{mid} -> 204
//	GET    /agents, GET /dialogs, GET /healthz
//
// Errors are {"error":"..."} with 400 (bad input), 404 (unknown node, agent
// or dialog) or 409 (no READY agent).
//
// # Timers and tests
//
// Forced logout, ring-no-answer, wrap-up and external answers are real
// timers (time.AfterFunc) whose durations come from Config; tests set them
// to tens of milliseconds and wait for the resulting notifications with
// deadlines. Config.Now only supplies timestamps.
package finessesim
