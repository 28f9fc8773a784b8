import { expect, it } from 'vitest';
import { subnetOf } from './firewall.ts';

it('writes a VPS address\'s subnet as nft does, host bits cleared', () => {
  expect(subnetOf('10.251.0.57', 24)).toBe('10.251.0.0/24');
  expect(subnetOf('192.0.2.130', 25)).toBe('192.0.2.128/25');
  expect(subnetOf('203.0.113.9', 32)).toBe('203.0.113.9/32');
  expect(subnetOf('255.255.255.255', 8)).toBe('255.0.0.0/8');
});
