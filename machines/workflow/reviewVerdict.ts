export type ReviewVerdict = 'approved' | 'rejected';

const APPROVED = /^\s*(?:[*_#>`-]+\s*)*VERIFIED_APPROVED\s*:/m;
const REJECTED = /^\s*(?:[*_#>`-]+\s*)*REJECTED\s*:\s*([\s\S]*)$/m;

/**
 * Reads a reviewer's verdict. Approval needs an explicit `VERIFIED_APPROVED:`
 * line (markdown emphasis or a list bullet before it is tolerated); anything
 * else, including silence or "looks good", is a rejection, so an agent cannot
 * approve by accident.
 *
 * @example parseReviewVerdict('REJECTED: add tests') // { verdict: 'rejected', feedback: 'add tests' }
 */
export function parseReviewVerdict(output: string): { verdict: ReviewVerdict; feedback: string } {
  const rejected = REJECTED.exec(output);
  if (rejected) return { verdict: 'rejected', feedback: rejected[1]!.trim() || output.trim() };
  if (APPROVED.test(output)) return { verdict: 'approved', feedback: '' };
  return {
    verdict: 'rejected',
    feedback: `The review gave no explicit verdict (a line starting VERIFIED_APPROVED: or REJECTED:). Review output:\n${output.trim()}`,
  };
}
