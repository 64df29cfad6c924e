/** Code-point order: `localeCompare` differs between machines and ICU versions. */
export function compareCodePoints(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Levenshtein distance, for "did you mean" hints. */
export function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) row[j] = Math.min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = row;
  }
  return prev[b.length];
}

/**
 * The candidate nearest to `wanted` (ignoring case), if it is at most `maxDistance` edits away;
 * the first in `candidates`' order on a tie. Candidates whose length differs by more than
 * `maxLengthDifference` are skipped without measuring, which keeps a big spec's names cheap.
 */
export function closestName(wanted: string, candidates: Iterable<string>, maxDistance: number, maxLengthDifference = maxDistance): string | undefined {
  const w = wanted.toLowerCase();
  let best: { name: string; distance: number } | undefined;
  for (const name of candidates) {
    if (Math.abs(name.length - w.length) > maxLengthDifference) continue;
    const distance = editDistance(name.toLowerCase(), w);
    if (distance <= maxDistance && (!best || distance < best.distance)) best = { name, distance };
  }
  return best?.name;
}
