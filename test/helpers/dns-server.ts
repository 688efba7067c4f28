// A tiny real DNS server on 127.0.0.1 (UDP) that answers TXT, A and AAAA queries from
// tables, so DNS-based checks run against the real resolver code with no mocks and no
// network (and can be hostile: a name may answer a loopback or private address).
import dgram from 'node:dgram';
import net from 'node:net';
import { parseIPv6 } from '../../src/core/address-policy.ts';

export interface DnsServer {
  /** `127.0.0.1:<port>`, for dns.Resolver#setServers. */
  address: string;
  /** TXT records by lower-case name; names not here answer NXDOMAIN. */
  txt: Map<string, string[]>;
  /** Addresses by lower-case name: IPv4 ones answer A queries, IPv6 ones AAAA. */
  addresses: Map<string, string[]>;
  close(): Promise<void>;
}

function readName(msg: Buffer, offset: number): { name: string; end: number } {
  const labels: string[] = [];
  let i = offset;
  while (msg[i]! > 0) {
    labels.push(msg.subarray(i + 1, i + 1 + msg[i]!).toString('latin1'));
    i += msg[i]! + 1;
  }
  return { name: labels.join('.').toLowerCase(), end: i + 1 };
}

function answer(query: Buffer, txt: Map<string, string[]>, addresses: Map<string, string[]>): Buffer {
  const { name, end } = readName(query, 12);
  const qtype = query.readUInt16BE(end);
  const question = query.subarray(12, end + 4);
  const known = txt.has(name) || addresses.has(name);
  let records: Buffer[] = [];
  if (qtype === 16) records = (txt.get(name) ?? []).map((text) => Buffer.concat([Buffer.from([Buffer.byteLength(text)]), Buffer.from(text, 'utf8')]));
  if (qtype === 1) records = (addresses.get(name) ?? []).filter((a) => net.isIPv4(a)).map((a) => Buffer.from(a.split('.').map(Number)));
  if (qtype === 28) records = (addresses.get(name) ?? []).filter((a) => net.isIPv6(a)).map((a) => Buffer.from(parseIPv6(a)!));
  const header = Buffer.alloc(12);
  query.copy(header, 0, 0, 2);
  // A known name without records of the type asked answers "no data", an unknown one NXDOMAIN.
  header.writeUInt16BE(known ? 0x8180 : 0x8183, 2);
  header.writeUInt16BE(1, 4);
  header.writeUInt16BE(records.length, 6);
  const answers = records.map((data) => {
    const rr = Buffer.alloc(12);
    rr.writeUInt16BE(0xc00c, 0);
    rr.writeUInt16BE(qtype, 2);
    rr.writeUInt16BE(1, 4);
    rr.writeUInt32BE(60, 6);
    rr.writeUInt16BE(data.length, 10);
    return Buffer.concat([rr, data]);
  });
  return Buffer.concat([header, question, ...answers]);
}

export async function startDnsServer(): Promise<DnsServer> {
  const socket = dgram.createSocket('udp4');
  const txt = new Map<string, string[]>();
  const addresses = new Map<string, string[]>();
  socket.on('message', (msg, rinfo) => {
    try {
      socket.send(answer(msg, txt, addresses), rinfo.port, rinfo.address);
    } catch {
      /* a malformed query gets no answer */
    }
  });
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  return { address: `127.0.0.1:${socket.address().port}`, txt, addresses, close: () => new Promise((resolve) => socket.close(() => resolve())) };
}
