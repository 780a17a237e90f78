import ipaddr from 'ipaddr.js';
import { matchesOf, type PiiDetector } from './pii-detector';

const OCTET = '(?:25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)';
// Four decimal octets without leading zeros, not inside a longer dotted run (1.2.3.4.5) or a word (v1.2.3.4).
const IPV4 = new RegExp(`(?<![\\w.])${OCTET}(?:\\.${OCTET}){3}(?!\\w|\\.\\d)`, 'g');
// A four-part version number reads like an address; when the text just before says so, it is not one.
const VERSION_CONTEXT = /(?:\bv|\bversion|\bver|\brelease|\bbuild)\s*[:=]?\s*$/i;
// Hex groups and colons (with an optional dotted IPv4 tail), not touching a word, so `std::cout` and
// times such as 10:30:00 are candidates only when ipaddr.js accepts them as addresses.
const IPV6_CANDIDATE = /(?<![\w:.])(?:[0-9A-Fa-f]{0,4}:){2,7}(?:[0-9A-Fa-f]{1,4}|(?:\d{1,3}\.){3}\d{1,3})?(?![\w:]|\.\d)/g;

/** Loopback and unspecified addresses name no person or device. */
function namesAHost(address: string): boolean {
  const range = ipaddr.parse(address).range();
  return range !== 'loopback' && range !== 'unspecified';
}

export const ipv4Detector: PiiDetector = {
  name: 'ipv4',
  find: (text) =>
    text.includes('.')
      ? matchesOf(text, IPV4, (match, start) => !VERSION_CONTEXT.test(text.slice(Math.max(0, start - 12), start)) && namesAHost(match))
      : [],
  redact: (match) => `${match.slice(0, match.indexOf('.'))}.*.*.*`,
};

export const ipv6Detector: PiiDetector = {
  name: 'ipv6',
  // Requiring a decimal digit keeps out code like `Abc::Def`, which is valid IPv6 syntax.
  find: (text) => (text.includes(':') ? matchesOf(text, IPV6_CANDIDATE, (match) => /\d/.test(match) && ipaddr.IPv6.isValid(match) && namesAHost(match)) : []),
  redact: (match) => `${match.slice(0, match.indexOf(':'))}:****`,
};
