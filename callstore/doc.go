// Package callstore is AgentLink's outbox of ended calls: every call the
// agent's session saw end is committed here before the session publishes
// DialogEnded, and stays until a CRM adapter acknowledged that the CRM
// saved its log (bridge command AckCallLog). Unacknowledged calls are
// offered again to the screen-pop lease holder after a reconnect, a page
// reload, an app restart or a crash, so every call is logged exactly once.
//
// It implements [core.Outbox] (what the session writes) and what the bridge
// and the softphone read ([Store.Unlogged], [Store.Ack], [Store.Changes]).
//
// The records live in a bbolt file (go.etcd.io/bbolt): one bucket, one
// JSON value per call keyed by its record id, each change one fsynced
// transaction. bbolt rather than SQLite because the outbox is a keyed map
// with a handful of records and no queries: bbolt is pure Go, has no cgo
// or SQL layer, and its single-writer transactions and file lock are what
// a single-instance desktop app needs. No file format of our own.
//
// A record is live (the call is in progress; kept so that a call that ends
// while the app is down is still reported), pending (ended, waiting for the
// wrap-up reason), ready (offered to the CRM) or acked. Records older than
// the retention (Options.Retention, config key call_log.retention_days) are
// dropped, logged or not. When the file cannot be opened or written (disk
// full, read-only directory, another process holds it) the store keeps the
// calls in memory, marks them volatile and says so in the log: calls are
// still offered and logged while the app runs.
package callstore
