// Table tests for the one address policy: which addresses and host names are inside this
// machine or its private networks, in every notation a resolver or URL parser accepts.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { addressKind, canonicalHost, hostKind, isPrivateAddress, parseIPv6 } from '../../../src/core/address-policy.ts';

// [address, kind]
const addresses: Array<[string, ReturnType<typeof addressKind>]> = [
  ['0.0.0.0', 'unspecified'],
  ['0.1.2.3', 'unspecified'],
  ['10.0.0.1', 'private'],
  ['10.255.255.255', 'private'],
  ['100.64.0.1', 'shared'],
  ['100.127.255.255', 'shared'],
  ['100.128.0.0', null],
  ['127.0.0.1', 'loopback'],
  ['127.255.255.254', 'loopback'],
  ['169.254.169.254', 'link-local'],
  ['172.15.255.255', null],
  ['172.16.0.1', 'private'],
  ['172.31.255.255', 'private'],
  ['172.32.0.0', null],
  ['192.0.0.8', 'reserved'],
  ['192.0.2.1', 'documentation'],
  ['192.88.99.1', 'reserved'],
  ['192.168.1.1', 'private'],
  ['198.18.0.1', 'reserved'],
  ['198.19.255.255', 'reserved'],
  ['198.51.100.7', 'documentation'],
  ['203.0.113.9', 'documentation'],
  ['224.0.0.1', 'multicast'],
  ['239.255.255.250', 'multicast'],
  ['240.0.0.1', 'reserved'],
  ['255.255.255.255', 'reserved'],
  ['8.8.8.8', null],
  ['140.82.112.3', null],
  ['::', 'unspecified'],
  ['::1', 'loopback'],
  ['[::1]', 'loopback'],
  ['0:0:0:0:0:0:0:1', 'loopback'],
  ['::ffff:127.0.0.1', 'loopback'],
  ['::ffff:7f00:1', 'loopback'],
  ['::FFFF:10.1.2.3', 'private'],
  ['::ffff:8.8.8.8', null],
  ['::ffff:0:127.0.0.1', 'loopback'],
  ['::127.0.0.1', 'reserved'],
  ['::8.8.8.8', 'reserved'],
  ['64:ff9b::7f00:1', 'loopback'],
  ['64:ff9b::10.0.0.1', 'private'],
  ['64:ff9b::808:808', null],
  ['64:ff9b:1::1', 'private'],
  ['100::1', 'reserved'],
  ['2001::1', 'reserved'],
  ['2001:0:4136:e378:8000:63bf:3fff:fdd2', 'reserved'],
  ['2001:db8::1', 'documentation'],
  ['2002:7f00:1::1', 'loopback'],
  ['2002:a00:1::', 'private'],
  ['2002:808:808::1', null],
  ['3fff::1', 'documentation'],
  ['5f00::1', 'reserved'],
  ['fc00::1', 'private'],
  ['fd12:3456::1', 'private'],
  ['fe80::1', 'link-local'],
  ['fe80::1%eth0', 'link-local'],
  ['febf::1', 'link-local'],
  ['fec0::1', 'private'],
  ['ff02::1', 'multicast'],
  ['2606:4700::1111', null],
  ['2a00:1450:4001::200e', null],
  ['not an address', 'reserved'],
  ['', 'reserved'],
  ['1.2.3', 'reserved'],
  ['1:2:3:4:5:6:7:8:9', 'reserved'],
];

// [host as typed, as resolvers read it]
const notations: Array<[string, string | null]> = [
  ['127.0.0.1', '127.0.0.1'],
  ['2130706433', '127.0.0.1'],
  ['0x7f000001', '127.0.0.1'],
  ['0x7f.1', '127.0.0.1'],
  ['127.1', '127.0.0.1'],
  ['0177.0.0.1', '127.0.0.1'],
  ['017700000001', '127.0.0.1'],
  ['127.0.0.1.', '127.0.0.1'],
  ['[::ffff:127.0.0.1]', '::ffff:7f00:1'],
  ['::FFFF:7F00:0001', '::ffff:7f00:1'],
  ['[0:0:0:0:0:0:0:1]', '::1'],
  ['LocalHost.', 'localhost'],
  ['GitHub.com', 'github.com'],
  ['bücher.example', 'xn--bcher-kva.example'],
  ['%31%32%37.0.0.1', '127.0.0.1'],
  ['evil.example/127.0.0.1', null],
  ['user@host', null],
  ['a b', null],
  ['[::1', null],
  ['1.2.3.4.5', null],
  ['', null],
];

const hosts: Array<[string, ReturnType<typeof hostKind>]> = [
  ['localhost', 'local name'],
  ['localhost.', 'local name'],
  ['api.localhost', 'local name'],
  ['printer.local', 'local name'],
  ['db.internal', 'local name'],
  ['nas.home.arpa', 'local name'],
  ['box.localdomain', 'local name'],
  ['0x7f.1', 'loopback'],
  ['2130706433', 'loopback'],
  ['[::ffff:127.0.0.1]', 'loopback'],
  ['10.0.0.1', 'private'],
  ['github.com', null],
  ['localhost.example.com', null],
  ['notlocalhost', null],
  ['evil.example/x', 'reserved'],
];

describe('address policy', () => {
  for (const [address, kind] of addresses) {
    test(`${JSON.stringify(address)} is ${kind ?? 'public'}`, () => {
      assert.equal(addressKind(address), kind);
      assert.equal(isPrivateAddress(address), kind !== null);
    });
  }
  for (const [host, canonical] of notations) {
    test(`host ${JSON.stringify(host)} reads as ${canonical ?? 'invalid'}`, () => {
      assert.equal(canonicalHost(host), canonical);
    });
  }
  for (const [host, kind] of hosts) {
    test(`host ${host} is ${kind ?? 'a public name'}`, () => {
      assert.equal(hostKind(host), kind);
    });
  }
  test('IPv6 parsing places an IPv4 tail in the last four bytes', () => {
    assert.deepEqual(parseIPv6('::ffff:1.2.3.4')?.slice(10), [0xff, 0xff, 1, 2, 3, 4]);
    assert.equal(parseIPv6('1::2::3'), null);
    assert.equal(parseIPv6('::ffff:1.2.3.256'), null);
  });
});
