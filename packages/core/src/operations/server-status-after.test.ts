import { describe, expect, it } from 'vitest';
import { serverStatusAfter } from './server-status-after.ts';

describe('serverStatusAfter', () => {
  it('moves a server to what a successful operation means', () => {
    expect(serverStatusAfter('create', 'succeeded', 'running')).toBe('running');
    expect(serverStatusAfter('start', 'succeeded', 'running')).toBe('running');
    expect(serverStatusAfter('restart', 'succeeded', 'running')).toBe('running');
    expect(serverStatusAfter('stop', 'succeeded', 'stopped')).toBe('stopped');
    expect(serverStatusAfter('destroy', 'succeeded', 'absent')).toBe('deleted');
  });
  it('trusts what the agent observed when a power action failed', () => {
    expect(serverStatusAfter('stop', 'failed', 'running')).toBe('running');
    expect(serverStatusAfter('start', 'failed', 'stopped')).toBe('stopped');
    expect(serverStatusAfter('restart', 'failed', null)).toBe('error');
  });
  it('marks a failed create or destroy as error', () => {
    expect(serverStatusAfter('create', 'failed', 'stopped')).toBe('error');
    expect(serverStatusAfter('destroy', 'failed', 'running')).toBe('error');
  });
});
