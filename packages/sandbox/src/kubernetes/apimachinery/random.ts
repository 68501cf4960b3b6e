/*
 * Deterministic randomness and hashing, after k8s.io/apimachinery/pkg/util/rand: generated-name
 * suffixes, uids and FNV-1a, all from a seeded source so a seeded world is the same every run.
 */

/** The alphabet of k8s.io/apimachinery/pkg/util/rand, which avoids vowels and look-alikes. */
const SAFE_ALPHANUMS = 'bcdfghjklmnpqrstvwxz2456789';

export function safeEncode(text: string): string {
  return [...text]
    .map(c => SAFE_ALPHANUMS[c.charCodeAt(0) % SAFE_ALPHANUMS.length])
    .join('');
}

export function randomSuffix(random: () => number, length = 5): string {
  let suffix = '';
  for (let i = 0; i < length; i++) {
    suffix += SAFE_ALPHANUMS[Math.floor(random() * SAFE_ALPHANUMS.length)];
  }
  return suffix;
}

/** FNV-1a 32-bit, the hash controller.ComputeHash feeds the pod template into. */
export function fnv32a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash >>> 0;
}

/** A seeded PRNG (mulberry32) so a seeded world gets the same uids and pod names every run. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function uuidFrom(random: () => number): string {
  const hex = Array.from({ length: 32 }, () =>
    Math.floor(random() * 16).toString(16),
  );
  hex[12] = '4';
  hex[16] = ((parseInt(hex[16], 16) & 0x3) | 0x8).toString(16);
  const s = hex.join('');
  return `${s.slice(0, 8)}-${s.slice(8, 12)}-${s.slice(12, 16)}-${s.slice(
    16,
    20,
  )}-${s.slice(20)}`;
}
