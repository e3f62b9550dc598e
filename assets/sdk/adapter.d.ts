// TypeScript declarations for adapter.js, the CRM adapter core.
import type { AgentLink, AgentStateInfo, CallLogOffer, CallSummary, Dialog } from "./agentlink";
import type { DialPlan } from "./dialplan";

export declare const LEG_CALL_TYPES: readonly string[];
export type Direction = "inbound" | "outbound" | "consult" | "internal";

/** where a call comes from: the same for a live dialog, a summary and a re-offered CallLog */
export declare function origin(d: Dialog | CallSummary): { dir: Direction; originalId: string; ownId: string };

/** "ani" | "dnis" | "number" | `var:${string}` (a call or ECC variable, e.g. "var:user.customer.id") */
export type LookupKey = string;

export interface Call {
  id: string;
  direction: Direction;
  /** consult/conference legs and agent-to-agent calls: never logged */
  leg: boolean;
  /** ≤ 35 letters and digits from the Finesse dialog id (this agent's leg) */
  ref: string;
  /** on a call transferred in: the original call's ref; else "" */
  originalRef: string;
  /** the other party, normalised by the dial plan */
  number: string;
  ani: string;
  dnis: string;
  lookup: { key: LookupKey; value: string };
  variables: Record<string, string>;
  startedAt: string;
  answeredAt: string;
  dialog: Dialog;
}

export interface CallLog {
  id: string; ref: string; originalRef: string; direction: Direction;
  number: string; ani: string; dnis: string;
  startedAt?: string; answeredAt?: string; endedAt: string; durationSeconds: number;
  /** the wrap-up reason */
  disposition: string;
  variables: Record<string, string>;
  lookup: { key: LookupKey; value: string };
}

/** What a CRM adapter implements; every method may return a promise. */
export interface CRMDriver<R = unknown> {
  search?(lookup: { key: LookupKey; value: string }, call: Call): Promise<R[]> | R[];
  open?(record: R, call: Call): unknown;
  pick?(records: R[], call: Call): unknown;
  openNew?(prefill: { phone: string; lookup: { key: LookupKey; value: string } }, call: Call): unknown;
  callStarted?(call: Call): unknown;
  callAnswered?(call: Call): unknown;
  /** resolves with the CRM's id of the saved record once the CRM confirmed the save */
  saveLog(log: CallLog, call: Call): Promise<string> | string;
  /**
   * optional: the CRM's id of a log already saved for this call (search by log.ref), or "" / null.
   * Asked before each save from AgentLink's outbox: it catches a save the CRM made but whose answer was lost.
   */
  findLog?(log: CallLog, call: Call): Promise<string | null> | string | null;
  error?(what: string, e: unknown): void;
}

export interface Source {
  listen(on: {
    dialog(d: Dialog): void;
    /** outbox: AgentLink keeps the call until acknowledged and will offer it (calllog) */
    ended(s: CallSummary, outbox?: boolean): void;
    calllog(r: CallLogOffer): void;
    wrapup(s: CallSummary): void;
    agent(a: AgentStateInfo): void;
  }): void;
  dial(number: string): Promise<unknown>;
  /** AckCallLog: after the CRM confirmed the save */
  ack?(a: { id: string; crmRef: string }): Promise<unknown>;
}

export interface AdapterOptions<R = unknown> {
  crm: CRMDriver<R>;
  lookupKey?: LookupKey;
  /** directions that pop; default ["inbound"] */
  popOn?: Direction[];
  dialPlan?: DialPlan;
  /** after the CRM confirmed a save (the core acknowledges it to AgentLink itself; do not send AckCallLog): a notification */
  onLogSaved?(ack: { id: string; crmRef: string }): void;
  /** ms between attempts to log an offered call whose save failed; default [1000, 2000, 5000, 10000, 30000, 60000] */
  retryDelays?: number[];
  /** where calls saved but not yet acknowledged are remembered across reloads and tabs; default localStorage */
  storage?: Storage | null;
}

export declare class AdapterCore<R = unknown> {
  constructor(opts: AdapterOptions<R>);
  calls: Map<string, Call>;
  logged: Set<string>;
  errors: { what: string; message: string }[];
  connect(source: Source): this;
  /** normalises and dials; throws BadNumberError */
  clickToDial(number: string): Promise<string>;
  /** the dial plan's form of raw, or raw when it is no number */
  number(raw: string): string;
  onDialog(d: Dialog): void;
  /** with outbox the call waits for its CallLog offer; without, it is logged (once its reason is known) */
  onEnded(s: CallSummary, outbox?: boolean): Promise<CallLog | null>;
  /** logs an outbox offer exactly once, acknowledges it, retries failures; resolves with the log if this call saved it */
  onCallLog(r: CallLogOffer): Promise<CallLog | null>;
  onWrapUp(s: CallSummary): Promise<CallLog | null> | null;
  onAgent(a: AgentStateInfo): void;
}

export declare function externalRef(dialogId: string): string;
export declare function direction(d: Dialog): Direction;
export declare function lookupValue(d: Dialog, key: LookupKey): string;
export declare function fromToolbar(frame: HTMLIFrameElement, toolbarOrigin: string): Source;
export declare function fromSDK(al: AgentLink): Source;
export declare function loadDialPlan(base?: string): Promise<DialPlan>;
