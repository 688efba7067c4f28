// A tiny real DNS server on 127.0.0.1 (UDP) that answers TXT queries from a table, so
// DNS-based checks run against the real resolver code with no mocks and no network.
import dgram from 'node:dgram';

export interface DnsServer {
  /** `127.0.0.1:<port>`, for dns.Resolver#setServers. */
  address: string;
  /** TXT records by lower-case name; names not here answer NXDOMAIN. */
  txt: Map<string, string[]>;
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

function answer(query: Buffer, txt: Map<string, string[]>): Buffer {
  const { name, end } = readName(query, 12);
  const qtype = query.readUInt16BE(end);
  const question = query.subarray(12, end + 4);
  const records = qtype === 16 ? (txt.get(name) ?? null) : null;
  const header = Buffer.alloc(12);
  query.copy(header, 0, 0, 2);
  header.writeUInt16BE(records ? 0x8180 : 0x8183, 2);
  header.writeUInt16BE(1, 4);
  header.writeUInt16BE(records?.length ?? 0, 6);
  const answers = (records ?? []).map((text) => {
    const data = Buffer.from(text, 'utf8');
    const rr = Buffer.alloc(12);
    rr.writeUInt16BE(0xc00c, 0);
    rr.writeUInt16BE(16, 2);
    rr.writeUInt16BE(1, 4);
    rr.writeUInt32BE(60, 6);
    rr.writeUInt16BE(data.length + 1, 10);
    return Buffer.concat([rr, Buffer.from([data.length]), data]);
  });
  return Buffer.concat([header, question, ...answers]);
}

export async function startDnsServer(): Promise<DnsServer> {
  const socket = dgram.createSocket('udp4');
  const txt = new Map<string, string[]>();
  socket.on('message', (msg, rinfo) => {
    try {
      socket.send(answer(msg, txt), rinfo.port, rinfo.address);
    } catch {
      /* a malformed query gets no answer */
    }
  });
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  return { address: `127.0.0.1:${socket.address().port}`, txt, close: () => new Promise((resolve) => socket.close(() => resolve())) };
}
