import { ipv4Detector, ipv6Detector } from './ip-address';

describe('ipv4Detector', () => {
  it('finds dotted-quad addresses in text, at a sentence end or before a port', () => {
    expect(ipv4Detector.find('from 203.0.113.7, then 10.0.0.1:8080 and 192.168.100.254.')).toEqual(['203.0.113.7', '10.0.0.1', '192.168.100.254']);
  });

  it('ignores versions, out-of-range octets, leading zeros, longer dotted runs, loopback and unspecified', () => {
    const traps = ['1.2.3', 'v1.2.3.4', 'version 1.2.3.4', 'Version: 10.0.0.1', 'build 1.0.0.0', '10.0.19041.1', '256.1.1.1', '01.02.03.04', '1.2.3.4.5', '15.01.2024', '3.14159', '127.0.0.1', '0.0.0.0'];
    for (const trap of traps) expect([trap, ipv4Detector.find(trap)]).toEqual([trap, []]);
  });

  it('redacts all but the first octet', () => {
    expect(ipv4Detector.redact('203.0.113.7')).toBe('203.*.*.*');
  });
});

describe('ipv6Detector', () => {
  it('finds full, compressed and IPv4-mapped addresses', () => {
    expect(ipv6Detector.find('client 2001:0db8:85a3:0000:0000:8a2e:0370:7334 via fe80::1 (::ffff:192.0.2.1).')).toEqual([
      '2001:0db8:85a3:0000:0000:8a2e:0370:7334',
      'fe80::1',
      '::ffff:192.0.2.1',
    ]);
  });

  it('ignores times, MAC addresses, C++ scopes, loopback and unspecified', () => {
    for (const trap of ['10:30:00', '2024-01-15T10:30:00Z', '00:1A:2B:3C:4D:5E', 'std::vector<int>', 'a::b', 'Abc::Def', '::1', '::', 'ratio 1:2:3']) {
      expect([trap, ipv6Detector.find(trap)]).toEqual([trap, []]);
    }
  });

  it('redacts all but the first group', () => {
    expect(ipv6Detector.redact('2001:db8::1')).toBe('2001:****');
  });
});
