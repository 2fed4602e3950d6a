import { describe, expect, it } from 'vitest';
import { placeArcs, planFlow } from '../../../ui/inspector/page/flowLayout.js';
import { graph } from './fixtures.js';

describe('planFlow', () => {
  it('lays a review loop out as a row with a loop between work and review, and its final state in a column', () => {
    const postReview = graph.children.find((child) => child.key === 'POST_REVIEW')!;
    const plan = planFlow(postReview);
    expect(plan.row.map((child) => child.key)).toEqual(['check', 'work', 'review']);
    expect(plan.column.map((child) => child.key)).toEqual(['done']);
    expect(Object.fromEntries(plan.adjacent)).toEqual({ '0>1': ['go'], '1>2': ['worked'], '2>1': ['rejected'] });
    expect(plan.fans).toEqual([{ from: 'teambot.POST_REVIEW.review', to: 'teambot.POST_REVIEW.done', labels: ['approved'] }]);
    expect(plan.arcs).toEqual([]);
  });
});

describe('placeArcs', () => {
  it('stacks an arc over the shorter ones it spans, and puts back arcs under the row', () => {
    const arc = (from: number, to: number) => ({ from, to, fromId: `${from}`, toId: `${to}`, labels: [] });
    const placed = placeArcs([arc(0, 3), arc(0, 2), arc(3, 0)]);
    expect(placed.map(({ from, to, under, level }) => ({ from, to, under, level }))).toEqual([
      { from: 0, to: 2, under: false, level: 1 },
      { from: 0, to: 3, under: false, level: 2 },
      { from: 3, to: 0, under: true, level: 1 },
    ]);
  });
});
