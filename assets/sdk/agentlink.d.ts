// TypeScript declarations for agentlink.js (AgentLink bridge protocol v1).

export declare const DEFAULT_URL: string;
/** The ports AgentLink may listen on (one per user session on a shared host): 28445–28454. */
export declare const DEFAULT_PORTS: readonly number[];
export declare const EVENT_NAMES: readonly ["System", "AgentState", "Dialog", "DialogEnded", "WrapUp", "Error", "Owner", "CommandOutcome", "MediaState", "CallLog", "Queues", "TeamMessage"];

export type ErrorCode =
  | "bad_json" | "bad_request" | "unknown_command" | "not_connected" | "not_logged_in" | "agent_mismatch"
  | "no_such_dialog" | "action_not_allowed" | "wrong_credentials" | "account_locked"
  | "finesse_unreachable" | "finesse_out_of_service" | "untrusted_certificate" | "timeout"
  | "rate_limited" | "finesse_error" | "secure_password_unavailable" | "internal" | "forbidden_scope"
  | "pairing_required" | "proof_required" | "proof_failed" | "pairing_denied"
  | "password_not_accepted" // a page sent a plain password: leave it out
  | "sign_in_in_app" // AgentLink has no saved password and asks the agent in its own window
  | "pairing_code" | "not_pairing" // local: pair() with a code no AgentLink shows, or with no pairing waiting
  | "closed"; // local: the connection closed before an answer

export interface FinesseErrorInfo {
  status?: number; type?: string; message?: string; data?: string; requestId?: string; dialogId?: string;
}

export declare class AgentLinkError extends Error {
  code: ErrorCode;
  finesse: FinesseErrorInfo | null;
  /** Whether a failed command reached Finesse: "not_delivered" (nothing happened; safe to retry),
   * "unconfirmed" (it may have; a CommandOutcome event with requestId follows), or "". */
  delivery: "" | "not_delivered" | "unconfirmed";
  requestId: string;
}

/** How an unconfirmed command turned out. */
export interface CommandOutcome {
  requestId: string;
  command: string;
  dialogId?: string;
  outcome: "applied" | "not_applied" | "unknown";
  finesse?: FinesseErrorInfo;
}

export interface SystemInfo {
  status: "IN_SERVICE" | "OUT_OF_SERVICE";
  node?: "A" | "B";
  host?: string;
  xmppConnected: boolean;
  reason?: string;
}

export interface AgentStateInfo {
  agentId: string; firstName?: string; lastName?: string;
  state: string; reasonCodeId?: string; reasonLabel?: string; pendingState?: string;
  extension?: string; since?: string; wrapUpOnIncoming?: string; loggedIn: boolean;
}

export interface Participant {
  address: string; addressType?: string; state: string; stateCause?: string; actions: string[]; since?: string;
}

export interface Dialog {
  id: string; associatedId?: string; secondaryId?: string; state: string; callType?: string;
  from: string; to: string; dnis?: string; dialedNumber?: string; queueName?: string; wrapUpReason?: string;
  agentState?: string; variables: Record<string, string>; participants: Participant[]; actions: string[];
  /** a consult or conference leg for a colleague: log nothing (absent from an AgentLink before it said so) */
  consult?: boolean;
  /** on a call transferred or conferenced in: the original call's dialog id */
  originalId?: string;
}

export interface CallSummary {
  id: string; from: string; to: string; callType?: string;
  startedAt?: string; answeredAt?: string; endedAt?: string; wrapUpReason?: string;
  variables: Record<string, string>;
  /** the call ended while AgentLink was not running; endedAt is when it noticed */
  endedWhileAway?: boolean;
  /** a consult or conference leg: never offered for logging */
  consult?: boolean;
  /** on a call transferred or conferenced in: the original call's dialog id ... */
  originalId?: string;
  /** ... and this agent's own consult leg dropped into it */
  secondaryId?: string;
}

/** An ended call waiting to be logged (CallLog event, to the lease holder only): log it, then ackCallLog(id, crmRef). */
export interface CallLogOffer extends CallSummary {
  /** the record id: the dialog id, or "<dialogId>#<ms>" for an older call whose dialog id was reused */
  id: string;
  dialogId: string;
}

export interface ReasonCode { id: string; category: "NOT_READY" | "LOGOUT"; code?: string; label: string; }
export interface WrapUpReason { id?: string; label: string; }
export interface Contact { phoneBook?: string; bookType?: "GLOBAL" | "TEAM"; firstName?: string; lastName?: string; number: string; description?: string; }
/** One of the agent's queues; a count of -1 is one Finesse does not report (UCCX). */
export interface QueueInfo {
  id: string; name: string; callsWaiting: number; oldestSince?: string; longestWaitSec?: number;
  agentsReady: number; agentsNotReady: number; agentsTalking: number; agentsLoggedOn: number;
}
/** A supervisor's team message; deleted: true withdraws the one with this id. */
export interface TeamMessageInfo { id: string; from?: string; content?: string; at?: string; expiresAt?: string; deleted?: boolean; }

export interface Snapshot {
  seq: number; system: SystemInfo; agent: AgentStateInfo; dialogs: Dialog[];
  reasonCodes?: { NOT_READY?: ReasonCode[]; LOGOUT?: ReasonCode[] };
  wrapUpReasons?: WrapUpReason[];
  queues?: QueueInfo[];
  teamMessages?: TeamMessageInfo[];
}

/** "pairing": waiting for the agent to type the code AgentLink shows (call pair). */
export type ConnectionState = "idle" | "connecting" | "open" | "closed" | "blocked" | "pairing";
export interface StateChange {
  state: ConnectionState;
  /** e.g. "resumed", "not-running", "origin-not-allowed", "local-network-blocked", "too-slow",
   *  "pairing", "proof-failed" (a program answered like AgentLink but could not prove it; nothing was sent to it) */
  reason: string;
  /** a sentence for the agent */
  message: string;
}

export type Scope = "events" | "state" | "calls" | "dial";
export interface HelloResult {
  protocol: number; version: string; capabilities: string[]; securePassword: boolean; clientId: string;
  /** what this client may do; commands outside them answer forbidden_scope */
  scopes: Scope[];
  /** for browser origins other than the bridge's own: pairing state and the bridge's proof */
  pairing?: { required: boolean; paired: boolean; nonce?: string; proof?: string };
}

/** The "pairing" event: ask the agent for the code AgentLink shows, then call pair(code). */
export interface PairingPrompt { origin: string; message: string; }

export interface AgentLinkOptions {
  /** one bridge URL; default: ws://HOST:PORT/v1/bridge for each of ports */
  url?: string;
  /** where to look for AgentLink (default "127.0.0.1" and DEFAULT_PORTS) */
  host?: string; ports?: number[];
  /** refuse a bridge that cannot prove it holds this site's pairing key, pairing on first use
   *  (default true; false only for the bridge's own demo pages and legacy set-ups) */
  requireProof?: boolean;
  /** ms to wait for one candidate port to answer (default 5000) */
  probeTimeout?: number;
  agentId?: string; timeout?: number; minBackoff?: number; maxBackoff?: number;
  /** take part in the screen-pop lease (one owner among the tabs that do) */
  lease?: boolean;
  /** pages served by the bridge and framed by a CRM: that CRM's origin, whose scopes then apply */
  embeddedBy?: string;
}

/** Who holds the screen-pop lease; clientId is "" when nobody does. */
export interface OwnerInfo { clientId: string; origin?: string; since?: string; }

export interface EventMap {
  System: SystemInfo;
  AgentState: AgentStateInfo;
  Dialog: Dialog;
  DialogEnded: CallSummary;
  /** A wrap-up reason chosen after the call ended and Finesse removed it: the same summary, with wrapUpReason. */
  WrapUp: CallSummary;
  Error: FinesseErrorInfo;
  Owner: OwnerInfo;
  CommandOutcome: CommandOutcome;
  CallLog: CallLogOffer;
  Queues: { queues: QueueInfo[] };
  TeamMessage: TeamMessageInfo;
  pairing: PairingPrompt;
  snapshot: Snapshot;
  state: StateChange;
  event: { event: string; seq: number; data: unknown };
}

export declare class AgentLink {
  constructor(opts?: AgentLinkOptions);
  url: string;
  agentId: string;
  lastSeq: number;
  /** The AgentLink run lastSeq belongs to; sent back with `since` on reconnect. */
  epoch: string;
  state: ConnectionState;
  snapshot: Snapshot | null;
  hello: HelloResult | null;
  lease: boolean;
  owner: OwnerInfo | null;
  /** the URL of the AgentLink in use (the one that proved itself) */
  bridgeUrl: string;
  /** complete a pairing with the code AgentLink shows; resolves once the agent allowed it in AgentLink */
  pair(code: string): Promise<{}>;
  /** true while this client holds the screen-pop lease: only it should pop records and log calls */
  readonly isOwner: boolean;
  claimOwner(): Promise<OwnerInfo>;
  on<K extends keyof EventMap>(name: K, fn: (data: EventMap[K], seq?: number) => void): () => void;
  off<K extends keyof EventMap>(name: K, fn: (data: EventMap[K], seq?: number) => void): void;
  start(): void;
  stop(): void;
  ready(): Promise<void>;
  command(cmd: string, args?: Record<string, unknown>): Promise<any>;
  /** No password travels: AgentLink uses its saved one or asks the agent in its window (error sign_in_in_app).
   *  password is only sent with secureKey (legacy UseSecurePassword, weaker); alone it is refused locally. */
  login(args: { agentId: string; extension: string; password?: string; secureKey?: Uint8Array | string }): Promise<{}>;
  logout(reasonCodeId?: string): Promise<{}>;
  setState(state: "READY" | "NOT_READY", reasonCodeId?: string): Promise<{}>;
  makeCall(number: string): Promise<{}>;
  answer(dialogId?: string): Promise<{}>;
  hold(dialogId?: string): Promise<{}>;
  retrieve(dialogId?: string): Promise<{}>;
  release(dialogId?: string): Promise<{}>;
  consult(dialogId: string | undefined, number: string): Promise<{}>;
  transfer(dialogId?: string): Promise<{}>;
  conference(dialogId?: string): Promise<{}>;
  singleStepTransfer(dialogId: string | undefined, number: string): Promise<{}>;
  sendDTMF(dialogId: string | undefined, digits: string): Promise<{}>;
  updateCallData(dialogId: string | undefined, variables: Record<string, string>): Promise<{}>;
  setWrapUp(dialogId: string | undefined, reason: string): Promise<{}>;
  /** after the CRM confirmed the save of a CallLog offer; idempotent */
  ackCallLog(id: string, crmRef: string): Promise<{ acked: boolean; already: boolean }>;
  /** this AgentLink keeps a call outbox (Hello capabilities include AckCallLog) */
  readonly keepsCallLog: boolean;
  getReasonCodes(category: "NOT_READY" | "LOGOUT"): Promise<{ category: string; reasonCodes: ReasonCode[] }>;
  getWrapUpReasons(): Promise<{ wrapUpReasons: WrapUpReason[] }>;
  getPhoneBook(): Promise<{ contacts: Contact[] }>;
  getState(): Promise<Snapshot>;
  ping(): Promise<{ pong: boolean; time: string }>;
}

export declare function encryptSecurePassword(key: Uint8Array | string, password: string, iv?: Uint8Array): string;
