/* Canonical JSON and SHA-256, identical to the report's (generator/sopkb/receipts/checksum.py;
   tests/js/checksum.test.js compares both on the same inputs). SHA-256 is written out here
   because the browser's own (crypto.subtle) exists only on https or localhost, and intranet
   sites are often plain http. Pure: Node imports it as it is. */

/* Python's sort_keys orders keys by code point; JavaScript's sort() by UTF-16 code unit. The two
   differ when a character beyond U+FFFF meets one in U+E000..U+FFFF, so compare code points. */
function byCodePoint(a, b) {
  const x = Array.from(a, (c) => c.codePointAt(0));
  const y = Array.from(b, (c) => c.codePointAt(0));
  for (let i = 0; i < Math.min(x.length, y.length); i++) {
    if (x[i] !== y[i]) { return x[i] - y[i]; }
  }
  return x.length - y.length;
}

/** JSON with keys sorted and no spaces, non-ASCII kept as it is: checksum.py's canonical(). */
export function canonical(value) {
  if (value === null || typeof value !== "object") { return JSON.stringify(value); }
  if (Array.isArray(value)) { return "[" + value.map(canonical).join(",") + "]"; }
  return "{" + Object.keys(value).sort(byCodePoint)
    .map((k) => JSON.stringify(k) + ":" + canonical(value[k])).join(",") + "}";
}

/* The first 32 bits of the fractional parts of the cube roots of the first 64 primes. */
const K = [];
for (let n = 2; K.length < 64; n++) {
  let prime = true;
  for (let d = 2; d * d <= n; d++) { if (n % d === 0) { prime = false; break; } }
  if (prime) { K.push((Math.pow(n, 1 / 3) % 1) * 4294967296 | 0); }
}

function rotate(x, n) { return (x >>> n) | (x << (32 - n)); }

/** The SHA-256 of `text`'s UTF-8 bytes, as 64 hexadecimal digits. */
export function sha256(text) {
  const bytes = new TextEncoder().encode(text);
  const padded = new Uint8Array(((bytes.length + 9 + 63) >> 6) << 6);
  padded.set(bytes);
  padded[bytes.length] = 0x80;
  const bits = bytes.length * 8;
  const view = new DataView(padded.buffer);
  view.setUint32(padded.length - 8, Math.floor(bits / 4294967296));
  view.setUint32(padded.length - 4, bits >>> 0);
  const h = [0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19];
  const w = new Array(64);
  for (let offset = 0; offset < padded.length; offset += 64) {
    for (let i = 0; i < 16; i++) { w[i] = view.getUint32(offset + i * 4); }
    for (let i = 16; i < 64; i++) {
      const a = w[i - 15], b = w[i - 2];
      const s0 = rotate(a, 7) ^ rotate(a, 18) ^ (a >>> 3);
      const s1 = rotate(b, 17) ^ rotate(b, 19) ^ (b >>> 10);
      w[i] = (w[i - 16] + s0 + w[i - 7] + s1) | 0;
    }
    let x = h.slice();
    for (let i = 0; i < 64; i++) {
      const e = x[4], f = x[0];
      const t1 = (x[7] + (rotate(e, 6) ^ rotate(e, 11) ^ rotate(e, 25)) + ((e & x[5]) ^ (~e & x[6])) + K[i] + w[i]) | 0;
      const t2 = ((rotate(f, 2) ^ rotate(f, 13) ^ rotate(f, 22)) + ((f & x[1]) ^ (f & x[2]) ^ (x[1] & x[2]))) | 0;
      x = [(t1 + t2) | 0, x[0], x[1], x[2], (x[3] + t1) | 0, x[4], x[5], x[6]];
    }
    for (let i = 0; i < 8; i++) { h[i] = (h[i] + x[i]) | 0; }
  }
  return h.map((v) => (v >>> 0).toString(16).padStart(8, "0")).join("");
}
