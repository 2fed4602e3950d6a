import { describe, expect, it } from 'vitest';
import { parseAcceptanceScenarios } from '../../loader/acceptanceScenarios.js';

const SPEC = `# Feature: Team invitations

## Overview
Admins invite people to their team by email. AT-900: this id is outside the section.

## Acceptance Test Scenarios

### AT-001: Invite a new member
**Description**: An admin invites someone who has no account yet.
**Preconditions**: Alice is an admin of team "Core".
**Steps**:
1. Open /teams/core/members
2. Enter bob@example.com and press Invite
3. Open Bob's mailbox
**Expected Result**: Bob receives an email with a link
that expires after 7 days.

### AT-002 — Reject an invalid email
**Description**:
The form validates the address before sending.
**Preconditions**: Alice is signed in.
**Steps**:
- Enter "not-an-email"
- Press Invite
**Expected**: The form shows "Enter a valid email" and sends nothing.

### AT-003 - Revoke an invitation
**Description**: An admin revokes a pending invitation.
**Preconditions**:
- Bob has a pending invitation
**Steps**:
1. Open the pending invitations
2. Press Revoke next to Bob,
   then confirm
**Expected Result**: Bob's link shows "Invitation revoked".

## Out of Scope
### AT-004: Not a scenario, the section ended
`;

describe('parseAcceptanceScenarios', () => {
  it('reads every field of `### AT-nnn: Title` scenarios and stops at the next `##` section', () => {
    expect(parseAcceptanceScenarios(SPEC)).toEqual([
      {
        id: 'AT-001',
        title: 'Invite a new member',
        description: 'An admin invites someone who has no account yet.',
        preconditions: 'Alice is an admin of team "Core".',
        steps: ['Open /teams/core/members', 'Enter bob@example.com and press Invite', 'Open Bob\'s mailbox'],
        expected: 'Bob receives an email with a link\nthat expires after 7 days.',
      },
      {
        id: 'AT-002',
        title: 'Reject an invalid email',
        description: 'The form validates the address before sending.',
        preconditions: 'Alice is signed in.',
        steps: ['Enter "not-an-email"', 'Press Invite'],
        expected: 'The form shows "Enter a valid email" and sends nothing.',
      },
      {
        id: 'AT-003',
        title: 'Revoke an invitation',
        description: 'An admin revokes a pending invitation.',
        preconditions: '- Bob has a pending invitation',
        steps: ['Open the pending invitations', 'Press Revoke next to Bob, then confirm'],
        expected: 'Bob\'s link shows "Invitation revoked".',
      },
    ]);
  });

  it('reads scenarios written as bold lines, with `**Label:**` fields', () => {
    const spec = [
      '### Acceptance test scenarios',
      '',
      '**AT-010: Export as CSV**',
      '**Steps:**',
      '1. Press Export',
      '**Expected Result:** a file named report.csv downloads',
      '',
      '- **AT-011** — Export an empty report',
      '  - **Steps**: press Export with no rows',
      '  - **Expected**: the file has only the header row',
    ].join('\n');
    expect(parseAcceptanceScenarios(spec)).toEqual([
      { id: 'AT-010', title: 'Export as CSV', description: '', preconditions: '', steps: ['Press Export'], expected: 'a file named report.csv downloads' },
      { id: 'AT-011', title: 'Export an empty report', description: '', preconditions: '', steps: ['press Export with no rows'], expected: 'the file has only the header row' },
    ]);
  });

  it('parses a file saved with CRLF line endings the same as with LF', () => {
    const crlf = SPEC.replace(/\n/g, '\r\n');
    const scenarios = parseAcceptanceScenarios(crlf);
    expect(scenarios).toEqual(parseAcceptanceScenarios(SPEC));
    expect(scenarios[0]!.steps[0]).toBe('Open /teams/core/members');
    expect(scenarios.some((scenario) => /\r/.test(JSON.stringify(scenario)))).toBe(false);
  });

  it('ignores ids and headings inside code fences, and keeps the first of two scenarios with one id', () => {
    const spec = [
      '## Acceptance Test Scenarios',
      '```markdown',
      '### AT-001: Example from a template',
      '```',
      '### AT-001: Sign in',
      '**Expected**: the dashboard opens',
      '~~~',
      '**AT-002: inside a tilde fence**',
      '~~~',
      '### AT-001: Sign in again (duplicate)',
      '**Expected**: ignored',
    ].join('\n');
    const scenarios = parseAcceptanceScenarios(spec);
    expect(scenarios.map((scenario) => scenario.id)).toEqual(['AT-001']);
    expect(scenarios[0]!.title).toBe('Sign in');
    expect(scenarios[0]!.expected).toContain('the dashboard opens');
  });

  it('tolerates missing fields and takes untitled text after the heading as the description', () => {
    const spec = '## Acceptance Test Scenarios\n#### AT-1234: Works offline\nThe app opens without a network.\n';
    expect(parseAcceptanceScenarios(spec)).toEqual([
      { id: 'AT-1234', title: 'Works offline', description: 'The app opens without a network.', preconditions: '', steps: [], expected: '' },
    ]);
  });

  it('returns no scenarios when the spec has no Acceptance Test Scenarios section', () => {
    expect(parseAcceptanceScenarios('# Spec\n## Behaviour\n### AT-001: Looks like a scenario\n**Steps**:\n1. x\n')).toEqual([]);
    expect(parseAcceptanceScenarios('')).toEqual([]);
  });
});
