/** Levenshtein distance, small inputs only (field and stage names). */
function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, index) => index);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1);
      current.push(Math.min(previous[j]! + 1, current[j - 1]! + 1, substitution));
    }
    previous = current;
  }
  return previous[b.length]!;
}

/**
 * The candidate closest to a misspelt name, if it is close enough to be a plausible typo.
 *
 * @example nearestName('work_agnet', ['work_agent', 'review_agent']) // 'work_agent'
 */
export function nearestName(name: string, candidates: readonly string[]): string | undefined {
  const wanted = name.toLowerCase();
  let best: { candidate: string; distance: number } | undefined;
  for (const candidate of candidates) {
    const distance = editDistance(wanted, candidate.toLowerCase());
    if (!best || distance < best.distance) best = { candidate, distance };
  }
  if (!best) return undefined;
  const tolerance = Math.max(2, Math.floor(Math.max(wanted.length, best.candidate.length) / 3));
  return best.distance <= tolerance ? best.candidate : undefined;
}

/** `did you mean "work_agent"?` or, with no close match, the list of valid names. */
export function suggestionFor(name: string, candidates: readonly string[], noun = 'valid names'): string {
  const nearest = nearestName(name, candidates);
  if (nearest) return `did you mean "${nearest}"?`;
  return `${noun}: ${candidates.join(', ')}`;
}
