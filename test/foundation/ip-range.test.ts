// Per-IP send limits count an IPv4 address alone, an IPv6 address by its /64, and IPv4-mapped IPv6 as IPv4.
import { expect } from 'chai';
import { ipBucket } from '../../src/security/ip-range.ts';

describe('SMS send limits: client address buckets', () => {
  it('keeps IPv4 addresses and unwraps IPv4-mapped IPv6', () => {
    expect(ipBucket('203.0.113.7')).to.equal('203.0.113.7');
    expect(ipBucket('::ffff:203.0.113.7')).to.equal('203.0.113.7');
    expect(ipBucket('::FFFF:203.0.113.7')).to.equal('203.0.113.7');
  });

  it('groups IPv6 addresses by /64 whatever their spelling', () => {
    const bucket = '2001:db8:aa:1::/64';
    for (const ip of ['2001:db8:aa:1::1', '2001:0DB8:00AA:0001:ffff:1:2:3', '[2001:db8:aa:1::9]', '2001:db8:aa:1::1%eth0', '2001:db8:aa:1:0:0:1.2.3.4']) {
      expect(ipBucket(ip), ip).to.equal(bucket);
    }
    expect(ipBucket('2001:db8:aa:2::1')).to.equal('2001:db8:aa:2::/64');
    expect(ipBucket('::1')).to.equal('0:0:0:0::/64');
    expect(ipBucket('2001:db8::')).to.equal('2001:db8:0:0::/64');
  });

  it('puts anything unparsable in one shared bucket', () => {
    for (const ip of ['', undefined, 'not an ip', '999.1.1.1']) expect(ipBucket(ip)).to.equal('unknown');
  });
});
