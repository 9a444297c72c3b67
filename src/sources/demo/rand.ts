// Deterministic randomness for the demo estate: a keyed integer hash (murmur3 mixing) for values
// that must not depend on generation order (per VM, per time slot), and mulberry32 for building
// the static structure in one pass. Nothing here touches Math.random or the clock.

function mixIn(h: number, v: number): number {
  v = Math.imul(v | 0, 0xcc9e2d51);
  v = (v << 15) | (v >>> 17);
  v = Math.imul(v, 0x1b873593);
  h ^= v;
  h = (h << 13) | (h >>> 19);
  return (Math.imul(h, 5) + 0xe6546b64) | 0;
}

function fmix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** A uint32 from a seed and three integers (any sign; only the low 32 bits count). */
export function hash3(seed: number, a: number, b: number, c: number): number {
  return fmix(mixIn(mixIn(mixIn(seed | 0, a), b), c) ^ 12);
}

/** Uniform in [0, 1) from a seed and three integers. */
export function u3(seed: number, a: number, b: number, c: number): number {
  return hash3(seed, a, b, c) / 4294967296;
}

/** FNV-1a of a string, for seeding from names. */
export function hashStr(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return fmix(h);
}

/** mulberry32: a small, fast seeded PRNG returning floats in [0, 1). */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Cumulative, normalised form of weights, for pick(). */
export function cumulative(weights: readonly number[]): Float64Array {
  const total = weights.reduce((a, b) => a + b, 0);
  const out = new Float64Array(weights.length);
  let acc = 0;
  weights.forEach((w, i) => { acc += w / total; out[i] = acc; });
  out[weights.length - 1] = 1;
  return out;
}

/** Index chosen by u in [0, 1) from cumulative weights. */
export function pick(cum: Float64Array, u: number): number {
  const n = cum.length - 1;
  for (let i = 0; i < n; i++) if (u < cum[i]!) return i;
  return n;
}

/** Index into weights (non-negative, not all zero) chosen by u in [0, 1). */
export function weighted(weights: readonly number[], u: number): number {
  let total = 0;
  for (const w of weights) total += w;
  let x = u * total;
  for (let i = 0; i < weights.length; i++) {
    x -= weights[i]!;
    if (x < 0) return i;
  }
  return weights.length - 1;
}

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

/** Eight lowercase hex digits. */
export function hex8(n: number): string {
  n >>>= 0;
  return HEX[n >>> 24]! + HEX[(n >>> 16) & 255]! + HEX[(n >>> 8) & 255]! + HEX[n & 255]!;
}

/** Two lowercase hex digits of a byte. */
export function hex2(n: number): string {
  return HEX[n & 255]!;
}

/** A UUID-shaped string from four uint32 words; `prefix` (hex) replaces its first digits. */
export function uuidOf(a: number, b: number, c: number, d: number, prefix = ''): string {
  const s = prefix + (hex8(a) + hex8(b) + hex8(c) + hex8(d)).slice(prefix.length);
  return `${s.slice(0, 8)}-${s.slice(8, 12)}-${s.slice(12, 16)}-${s.slice(16, 20)}-${s.slice(20, 32)}`;
}

/** Dotted IPv4 of a uint32. */
export function ipv4(n: number): string {
  return `${n >>> 24}.${(n >>> 16) & 255}.${(n >>> 8) & 255}.${n & 255}`;
}

/** Colon MAC of a 24-bit value under an OUI given as three bytes. */
export function macOf(oui: readonly [number, number, number], low24: number): string {
  return `${HEX[oui[0]]}:${HEX[oui[1]]}:${HEX[oui[2]]}:${HEX[(low24 >>> 16) & 255]}:${HEX[(low24 >>> 8) & 255]}:${HEX[low24 & 255]}`;
}

/** A bijection on [0, 2^bits): spreads consecutive ids over the space. */
export function scramble(x: number, bits: number): number {
  const mask = bits >= 32 ? 0xffffffff : (1 << bits) - 1;
  x &= mask;
  x = Math.imul(x, 0x2c1b3c6d) & mask;
  x ^= x >>> Math.max(1, bits >> 1);
  x = Math.imul(x, 0x297a2d39) & mask;
  x ^= x >>> Math.max(1, (bits >> 1) - 1);
  return x >>> 0;
}

// Flat strings for the hot paths (100,000s per retrieval): written byte by byte into a scratch
// buffer and read once, instead of concatenating pieces into rope strings.
const SB = Buffer.allocUnsafe(64);
const HEXB = Array.from('0123456789abcdef', (c) => c.charCodeAt(0));

function putHex2(pos: number, v: number): number {
  SB[pos] = HEXB[(v >>> 4) & 15]!;
  SB[pos + 1] = HEXB[v & 15]!;
  return pos + 2;
}

function putDec(pos: number, v: number, width: number): number {
  for (let k = width - 1; k >= 0; k--) {
    SB[pos + k] = 48 + (v % 10);
    v = Math.floor(v / 10);
  }
  return pos + width;
}

/**
 * UUID text of four uint32 words, the first `prefix` hex digits replaced (VMware style: "50" for
 * instance UUIDs, "42" for BIOS UUIDs, "6000C29" for disks).
 */
export function uuidStr(a: number, b: number, c: number, d: number, prefix = ''): string {
  let pos = 0;
  for (let n = 0; n < 32; n++) {
    if (n === 8 || n === 12 || n === 16 || n === 20) SB[pos++] = 45;
    const w = n < 8 ? a : n < 16 ? b : n < 24 ? c : d;
    SB[pos++] = HEXB[(w >>> ((7 - (n & 7)) * 4)) & 15]!;
  }
  // the prefix overwrites the first digits (it never reaches the first dash)
  for (let n = 0; n < prefix.length; n++) SB[n] = prefix.charCodeAt(n);
  return SB.toString('latin1', 0, pos);
}

/** "00:50:56:xx:xx:xx" (VMware OUI) for a 24-bit value. */
export function vmwareMac(low24: number): string {
  SB.write('00:50:56:', 0, 'latin1');
  let pos = putHex2(9, low24 >>> 16);
  SB[pos++] = 58;
  pos = putHex2(pos, low24 >>> 8);
  SB[pos++] = 58;
  pos = putHex2(pos, low24);
  return SB.toString('latin1', 0, pos);
}

/** ISO 8601 UTC time ("2024-05-01T12:00:00.000Z") of a whole number of seconds since 1970. */
export function isoSeconds(s: number): string {
  const days = Math.floor(s / 86400);
  const rem = s - days * 86400;
  // civil date from days since 1970-01-01 (H. Hinnant)
  const z = days + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  const y = yoe + era * 400 + (m <= 2 ? 1 : 0);
  if (y < 0 || y > 9999) return new Date(s * 1000).toISOString();
  let pos = putDec(0, y, 4);
  SB[pos++] = 45;
  pos = putDec(pos, m, 2);
  SB[pos++] = 45;
  pos = putDec(pos, d, 2);
  SB[pos++] = 84;
  pos = putDec(pos, Math.floor(rem / 3600), 2);
  SB[pos++] = 58;
  pos = putDec(pos, Math.floor((rem % 3600) / 60), 2);
  SB[pos++] = 58;
  pos = putDec(pos, rem % 60, 2);
  for (const c of '.000Z') SB[pos++] = c.charCodeAt(0);
  return SB.toString('latin1', 0, pos);
}

/** Dotted IPv4 as a flat string. */
export function ipv4Str(n: number): string {
  let pos = 0;
  for (let k = 3; k >= 0; k--) {
    let v = (n >>> (k * 8)) & 255;
    if (v >= 100) { SB[pos++] = 48 + Math.floor(v / 100); v %= 100; SB[pos++] = 48 + Math.floor(v / 10); SB[pos++] = 48 + (v % 10); }
    else if (v >= 10) { SB[pos++] = 48 + Math.floor(v / 10); SB[pos++] = 48 + (v % 10); }
    else SB[pos++] = 48 + v;
    if (k) SB[pos++] = 46;
  }
  return SB.toString('latin1', 0, pos);
}
