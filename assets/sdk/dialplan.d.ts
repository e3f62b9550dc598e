// TypeScript declarations for dialplan.js (the twin of core/dialplan.go).

export interface DialPlan {
  /** the default country's calling code without "+", e.g. "1", "44" */
  countryCode?: string;
  /** what the PBX needs for an outside line, e.g. "9" */
  outsidePrefix?: string;
  /** digit counts of internal extensions, dialled as typed */
  extensionLengths?: number[];
  /** default "1" for country code 1, else "0" */
  trunkPrefix?: string;
  /** default "011" for country code 1, else "00" */
  internationalPrefix?: string;
}

export declare class BadNumberError extends Error {
  code: "bad_number";
  problem: string;
}

/** The dial string for s: E.164 for national/international numbers, extensions as typed. Throws BadNumberError. */
export declare function normalizeNumber(s: string, plan?: DialPlan): string;
