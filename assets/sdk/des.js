// des.js — a small Triple-DES (3DES-EDE, CBC, PKCS#7) for the legacy
// UseSecurePassword mode of old CRM connectors.
//
// WebCrypto has no DES or 3DES, so this is a plain bit-level implementation.
// It is slow (fine for one password) and it is NOT protection: 3DES here is
// legacy obfuscation that AgentLink accepts for compatibility. The bridge is
// loopback-only and origin-checked; that is the protection. Prefer sending
// the password as is (or none, and let AgentLink use the keychain).

const IP = [58, 50, 42, 34, 26, 18, 10, 2, 60, 52, 44, 36, 28, 20, 12, 4,
  62, 54, 46, 38, 30, 22, 14, 6, 64, 56, 48, 40, 32, 24, 16, 8,
  57, 49, 41, 33, 25, 17, 9, 1, 59, 51, 43, 35, 27, 19, 11, 3,
  61, 53, 45, 37, 29, 21, 13, 5, 63, 55, 47, 39, 31, 23, 15, 7];
const FP = [40, 8, 48, 16, 56, 24, 64, 32, 39, 7, 47, 15, 55, 23, 63, 31,
  38, 6, 46, 14, 54, 22, 62, 30, 37, 5, 45, 13, 53, 21, 61, 29,
  36, 4, 44, 12, 52, 20, 60, 28, 35, 3, 43, 11, 51, 19, 59, 27,
  34, 2, 42, 10, 50, 18, 58, 26, 33, 1, 41, 9, 49, 17, 57, 25];
const E = [32, 1, 2, 3, 4, 5, 4, 5, 6, 7, 8, 9, 8, 9, 10, 11, 12, 13,
  12, 13, 14, 15, 16, 17, 16, 17, 18, 19, 20, 21, 20, 21, 22, 23, 24, 25,
  24, 25, 26, 27, 28, 29, 28, 29, 30, 31, 32, 1];
const P = [16, 7, 20, 21, 29, 12, 28, 17, 1, 15, 23, 26, 5, 18, 31, 10,
  2, 8, 24, 14, 32, 27, 3, 9, 19, 13, 30, 6, 22, 11, 4, 25];
const PC1 = [57, 49, 41, 33, 25, 17, 9, 1, 58, 50, 42, 34, 26, 18,
  10, 2, 59, 51, 43, 35, 27, 19, 11, 3, 60, 52, 44, 36,
  63, 55, 47, 39, 31, 23, 15, 7, 62, 54, 46, 38, 30, 22,
  14, 6, 61, 53, 45, 37, 29, 21, 13, 5, 28, 20, 12, 4];
const PC2 = [14, 17, 11, 24, 1, 5, 3, 28, 15, 6, 21, 10,
  23, 19, 12, 4, 26, 8, 16, 7, 27, 20, 13, 2,
  41, 52, 31, 37, 47, 55, 30, 40, 51, 45, 33, 48,
  44, 49, 39, 56, 34, 53, 46, 42, 50, 36, 29, 32];
const SHIFTS = [1, 1, 2, 2, 2, 2, 2, 2, 1, 2, 2, 2, 2, 2, 2, 1];
const S = [
  [14, 4, 13, 1, 2, 15, 11, 8, 3, 10, 6, 12, 5, 9, 0, 7, 0, 15, 7, 4, 14, 2, 13, 1, 10, 6, 12, 11, 9, 5, 3, 8,
    4, 1, 14, 8, 13, 6, 2, 11, 15, 12, 9, 7, 3, 10, 5, 0, 15, 12, 8, 2, 4, 9, 1, 7, 5, 11, 3, 14, 10, 0, 6, 13],
  [15, 1, 8, 14, 6, 11, 3, 4, 9, 7, 2, 13, 12, 0, 5, 10, 3, 13, 4, 7, 15, 2, 8, 14, 12, 0, 1, 10, 6, 9, 11, 5,
    0, 14, 7, 11, 10, 4, 13, 1, 5, 8, 12, 6, 9, 3, 2, 15, 13, 8, 10, 1, 3, 15, 4, 2, 11, 6, 7, 12, 0, 5, 14, 9],
  [10, 0, 9, 14, 6, 3, 15, 5, 1, 13, 12, 7, 11, 4, 2, 8, 13, 7, 0, 9, 3, 4, 6, 10, 2, 8, 5, 14, 12, 11, 15, 1,
    13, 6, 4, 9, 8, 15, 3, 0, 11, 1, 2, 12, 5, 10, 14, 7, 1, 10, 13, 0, 6, 9, 8, 7, 4, 15, 14, 3, 11, 5, 2, 12],
  [7, 13, 14, 3, 0, 6, 9, 10, 1, 2, 8, 5, 11, 12, 4, 15, 13, 8, 11, 5, 6, 15, 0, 3, 4, 7, 2, 12, 1, 10, 14, 9,
    10, 6, 9, 0, 12, 11, 7, 13, 15, 1, 3, 14, 5, 2, 8, 4, 3, 15, 0, 6, 10, 1, 13, 8, 9, 4, 5, 11, 12, 7, 2, 14],
  [2, 12, 4, 1, 7, 10, 11, 6, 8, 5, 3, 15, 13, 0, 14, 9, 14, 11, 2, 12, 4, 7, 13, 1, 5, 0, 15, 10, 3, 9, 8, 6,
    4, 2, 1, 11, 10, 13, 7, 8, 15, 9, 12, 5, 6, 3, 0, 14, 11, 8, 12, 7, 1, 14, 2, 13, 6, 15, 0, 9, 10, 4, 5, 3],
  [12, 1, 10, 15, 9, 2, 6, 8, 0, 13, 3, 4, 14, 7, 5, 11, 10, 15, 4, 2, 7, 12, 9, 5, 6, 1, 13, 14, 0, 11, 3, 8,
    9, 14, 15, 5, 2, 8, 12, 3, 7, 0, 4, 10, 1, 13, 11, 6, 4, 3, 2, 12, 9, 5, 15, 10, 11, 14, 1, 7, 6, 0, 8, 13],
  [4, 11, 2, 14, 15, 0, 8, 13, 3, 12, 9, 7, 5, 10, 6, 1, 13, 0, 11, 7, 4, 9, 1, 10, 14, 3, 5, 12, 2, 15, 8, 6,
    1, 4, 11, 13, 12, 3, 7, 14, 10, 15, 6, 8, 0, 5, 9, 2, 6, 11, 13, 8, 1, 4, 10, 7, 9, 5, 0, 15, 14, 2, 3, 12],
  [13, 2, 8, 4, 6, 15, 11, 1, 10, 9, 3, 14, 5, 0, 12, 7, 1, 15, 13, 8, 10, 3, 7, 4, 12, 5, 6, 11, 0, 14, 9, 2,
    7, 11, 4, 1, 9, 12, 14, 2, 0, 6, 10, 13, 15, 3, 5, 8, 2, 1, 14, 7, 4, 10, 8, 13, 15, 12, 9, 0, 3, 5, 6, 11],
];

const permute = (bits, table) => table.map((i) => bits[i - 1]);

function toBits(bytes) {
  const out = [];
  for (const b of bytes) for (let i = 7; i >= 0; i--) out.push((b >> i) & 1);
  return out;
}

function toBytes(bits) {
  const out = new Uint8Array(bits.length / 8);
  bits.forEach((bit, i) => { out[i >> 3] |= bit << (7 - (i & 7)); });
  return out;
}

const xor = (a, b) => a.map((x, i) => x ^ b[i]);

function subkeys(key8) {
  const k = permute(toBits(key8), PC1);
  let c = k.slice(0, 28);
  let d = k.slice(28);
  return SHIFTS.map((n) => {
    c = c.slice(n).concat(c.slice(0, n));
    d = d.slice(n).concat(d.slice(0, n));
    return permute(c.concat(d), PC2);
  });
}

function feistel(r, k) {
  const x = xor(permute(r, E), k);
  const out = [];
  for (let s = 0; s < 8; s++) {
    const b = x.slice(6 * s, 6 * s + 6);
    const v = S[s][(b[0] * 2 + b[5]) * 16 + b[1] * 8 + b[2] * 4 + b[3] * 2 + b[4]];
    out.push((v >> 3) & 1, (v >> 2) & 1, (v >> 1) & 1, v & 1);
  }
  return permute(out, P);
}

function desBlock(block, keys) {
  const bits = permute(toBits(block), IP);
  let l = bits.slice(0, 32);
  let r = bits.slice(32);
  for (const k of keys) [l, r] = [r, xor(l, feistel(r, k))];
  return toBytes(permute(r.concat(l), FP));
}

/**
 * tripleDesCbcEncrypt encrypts with 3DES-EDE (K1 encrypt, K2 decrypt, K3
 * encrypt) in CBC mode with PKCS#7 padding.
 * @param {Uint8Array} key 24 bytes
 * @param {Uint8Array} iv 8 bytes
 * @param {Uint8Array} plaintext
 * @returns {Uint8Array} ciphertext (without the IV)
 */
export function tripleDesCbcEncrypt(key, iv, plaintext) {
  if (key.length !== 24) throw new Error("3DES key must be 24 bytes");
  if (iv.length !== 8) throw new Error("IV must be 8 bytes");
  const k1 = subkeys(key.slice(0, 8));
  const k2 = subkeys(key.slice(8, 16)).reverse();
  const k3 = subkeys(key.slice(16, 24));
  const pad = 8 - (plaintext.length % 8);
  const data = new Uint8Array(plaintext.length + pad);
  data.set(plaintext);
  data.fill(pad, plaintext.length);
  const out = new Uint8Array(data.length);
  let prev = iv;
  for (let i = 0; i < data.length; i += 8) {
    const block = data.slice(i, i + 8).map((b, j) => b ^ prev[j]);
    prev = desBlock(desBlock(desBlock(block, k1), k2), k3);
    out.set(prev, i);
  }
  return out;
}

const b64 = (bytes) => btoa(String.fromCharCode(...bytes));
const unb64 = (s) => Uint8Array.from(atob(s), (c) => c.charCodeAt(0));

/**
 * encryptSecurePassword wraps a password the legacy UseSecurePassword way:
 * base64(8-byte IV || 3DES-EDE-CBC(PKCS#7(UTF-8 password))).
 * @param {Uint8Array|string} key 24 bytes, or their base64
 * @param {string} password
 * @param {Uint8Array} [iv] 8 bytes; random when omitted (tests pass one)
 * @returns {string}
 */
export function encryptSecurePassword(key, password, iv) {
  const k = typeof key === "string" ? unb64(key) : key;
  const v = iv || crypto.getRandomValues(new Uint8Array(8));
  const ct = tripleDesCbcEncrypt(k, v, new TextEncoder().encode(password));
  const all = new Uint8Array(8 + ct.length);
  all.set(v);
  all.set(ct, 8);
  return b64(all);
}
