// AgentLink dial plan: the JavaScript twin of core/dialplan.go. Both are
// tested against core/testdata/dialplan.json, so a number a CRM shows is
// normalised the same way in the page and in the bridge. A plan is
//   { countryCode: "1", outsidePrefix: "9", extensionLengths: [4, 5],
//     trunkPrefix: "1", internationalPrefix: "011" }   (all optional)
// The empty plan {} only cleans up: separators and the "(0)" after a
// country code go, nothing is converted.

const MAX_E164 = 15; // digits, country code included
const MIN_NATIONAL = 6; // shorter strings are service codes, dialled as typed

/** A number that cannot be dialled; `.code` is "bad_number". */
export class BadNumberError extends Error {
  constructor(problem) {
    super("not a phone number: " + problem);
    this.name = "BadNumberError";
    this.code = "bad_number";
    this.problem = problem;
  }
}

function withDefaults(plan) {
  const p = Object.assign({ countryCode: "", outsidePrefix: "", extensionLengths: [], trunkPrefix: "", internationalPrefix: "" }, plan || {});
  if (p.countryCode) {
    const nanp = p.countryCode === "1";
    p.trunkPrefix = p.trunkPrefix || (nanp ? "1" : "0");
    p.internationalPrefix = p.internationalPrefix || (nanp ? "011" : "00");
  }
  return p;
}

function cleanNumber(s) {
  s = String(s == null ? "" : s).trim();
  if (s.startsWith("tel:") || s.startsWith("TEL:")) s = s.slice(4);
  if (s.startsWith("+")) s = s.split("(0)").join("");
  let out = "";
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if ((c >= "0" && c <= "9") || c === "*" || c === "#" || (c === "+" && i === 0)) out += c;
    else if ("-.()/".includes(c) || /\s/.test(c)) continue;
    else if (c === "+") throw new BadNumberError("+ is only allowed at the start");
    else throw new BadNumberError(`"${String.fromCodePoint(s.codePointAt(i))}" is not allowed`);
  }
  if (out.replace(/\+/g, "") === "") throw new BadNumberError("enter a number first");
  return out;
}

function checkE164(e) {
  const d = e.slice(1);
  if (d === "") return "enter a number first";
  if (/[*#]/.test(d)) return "* and # cannot follow +";
  if (d[0] === "0") return "no country code starts with 0";
  if (d.length > MAX_E164) return `${d.length} digits after +, at most ${MAX_E164}`;
  return "";
}

function plusDigits(digits) {
  const e = "+" + digits;
  return digits.length >= MIN_NATIONAL && !checkE164(e) ? e : "";
}

function toE164(p, digits) {
  if (!p.countryCode) return "";
  if (digits.startsWith(p.internationalPrefix)) return plusDigits(digits.slice(p.internationalPrefix.length));
  const nanp = p.countryCode === "1";
  if (nanp && digits.length === 10 && digits[0] >= "2") return "+1" + digits;
  if (digits.startsWith(p.trunkPrefix)) {
    const rest = digits.slice(p.trunkPrefix.length);
    if (nanp && (rest.length !== 10 || rest[0] < "2")) return "";
    return plusDigits(p.countryCode + rest);
  }
  return "";
}

/**
 * normalizeNumber returns the dial string for s under plan: E.164 ("+" and
 * digits) for national and international numbers, extensions and service
 * codes as typed, feature codes (* #) cleaned only. Throws BadNumberError.
 */
export function normalizeNumber(s, plan) {
  const clean = cleanNumber(s);
  if (clean.startsWith("+")) {
    const bad = checkE164(clean);
    if (bad) throw new BadNumberError(bad);
    return clean;
  }
  if (/[*#]/.test(clean)) return clean;
  const p = withDefaults(plan);
  if ((p.extensionLengths || []).includes(clean.length)) return clean;
  if (p.outsidePrefix && clean.startsWith(p.outsidePrefix)) {
    const e = toE164(p, clean.slice(p.outsidePrefix.length));
    if (e) return e;
  }
  return toE164(p, clean) || clean;
}
