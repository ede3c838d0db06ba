// customer-health/edge, which webhook URLs are refused (no imports: tested in Node).

const v4 = (s) => s.split('.').map(Number);

/** Whether an IPv4 address (four numbers) is loopback, private, link-local, shared, reserved or multicast. */
function privateV4([a, b]) {
  return a === 0 || a === 10 || a === 127 || a >= 224
    || (a === 100 && b >= 64 && b <= 127) // carrier-grade NAT
    || (a === 169 && b === 254) // link-local, cloud metadata (169.254.169.254)
    || (a === 172 && b >= 16 && b <= 31)
    || (a === 192 && b === 168)
    || (a === 192 && b === 0)
    || (a === 198 && (b === 18 || b === 19));
}

/** Whether an IPv6 address (as the URL parser writes it, without brackets) is not a public unicast one. */
function privateV6(h) {
  const s = h.toLowerCase();
  if (s === '::' || s === '::1') return true;
  if (/^f[cd]/.test(s) || /^fe[89ab]/.test(s) || s.startsWith('ff')) return true;
  // IPv4 inside IPv6 (mapped ::ffff:a.b.c.d, NAT64 64:ff9b::, compatible ::a.b.c.d): the IPv4 address decides.
  const m = /^(?:::ffff:|64:ff9b::|::)([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(s);
  if (m) {
    const hi = parseInt(m[1], 16);
    return privateV4([hi >> 8, hi & 255]);
  }
  const dotted = /^(?:::ffff:|64:ff9b::|::)(\d+\.\d+\.\d+\.\d+)$/.exec(s);
  return dotted ? privateV4(v4(dotted[1])) : false;
}

/**
 * Why a webhook URL is refused, or null: not https (http is allowed in
 * development), credentials in it, or a host that is loopback, private,
 * link-local, a cloud metadata address or a local name, unless
 * `allowPrivate` (EDGE_ALLOW_PRIVATE_WEBHOOKS, development only). The URL
 * parser has already made `0x7f.1` or `2130706433` into `127.0.0.1`.
 * A public name that resolves to a private address is stopped by the
 * network: Cloudflare does not route to private addresses, and the workerd
 * configuration allows only public ones.
 */
export function webhookUrlProblem(text, allowPrivate) {
  let url;
  try {
    url = new URL(text);
  } catch {
    return 'the url is not a URL';
  }
  if (url.protocol !== 'https:' && !(allowPrivate && url.protocol === 'http:')) return 'the url must be https';
  if (url.username || url.password) return 'the url must not hold credentials';
  if (allowPrivate) return null;
  const host = url.hostname.toLowerCase().replace(/\.$/, '');
  if (host === 'localhost' || host.endsWith('.localhost') || host === 'metadata' || host.endsWith('.internal') || host.endsWith('.local') || !host.includes('.') && !host.startsWith('[')) {
    return `the host \`${host}\` is a local name`;
  }
  if (/^\d+\.\d+\.\d+\.\d+$/.test(host) && privateV4(v4(host))) return `the address ${host} is loopback, private, link-local or reserved`;
  if (host.startsWith('[') && privateV6(host.slice(1, -1))) return `the address ${host} is loopback, private or link-local`;
  return null;
}
