/** The one bridge Berth manages on a host; VPS traffic never leaves it (no forwarding, no NAT). */
export const BRIDGE = 'berth0';
/** Host side of the bridge (RFC 2544 benchmark range: never routed on the internet). */
export const BRIDGE_HOST_CIDR = '198.18.0.1/24';
/** Host-side veth names all start with this; the firewall matches on it. */
export const VETH_PREFIX = 'vb-';

/**
 * Host-side veth of a VPS, derived from the server id so it is stable across restarts and findable
 * without state. IFNAMSIZ is 16 (15 chars): `vb-` + the id's last 12 chars (60 random bits).
 */
export const vethName = (serverId: string) => `${VETH_PREFIX}${serverId.slice(-12)}`;
