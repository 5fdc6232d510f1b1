// A minimal writer of MaxMind DB v2 files (https://maxmind.github.io/MaxMind-DB/), for tests: no npm package writes them.
//
// Layout of the file:  search tree | 16 zero bytes | data section | "\xAB\xCD\xEFMaxMind.com" | metadata map
// - The search tree is a binary trie over the address bits; node n is 2 records of `recordSize / 8` bytes (24 bits
//   here, big-endian: left then right). A record < node_count points to another node, == node_count means "no data",
//   > node_count points into the data section at `record - node_count - 16`.
// - An IPv6 tree (ip_version 6) keeps IPv4 networks under ::/96, where readers look IPv4 addresses up.
// - Data fields start with a control byte: type in the top 3 bits (0: extended, the next byte is type - 7) and the
//   size in the low 5 bits (29, 30, 31: one, two, three more size bytes follow, after any extended-type byte).
import { isIP } from 'node:net';

export type MmdbValue = string | number | bigint | boolean | MmdbValue[] | { [key: string]: MmdbValue };

export interface MmdbNetwork {
  /** `203.0.113.0/24` (IPv4) or `2001:db8::/32` (IPv6, only in an IPv6 tree). */
  network: string;
  data: { [key: string]: MmdbValue };
}

export interface MmdbOptions {
  ipVersion?: 4 | 6;
  databaseType?: string;
  description?: string;
  buildEpoch?: number;
}

const RECORD_SIZE = 24;
const METADATA_MARKER = Buffer.concat([Buffer.from([0xab, 0xcd, 0xef]), Buffer.from('MaxMind.com')]);

// --- data section encoding -------------------------------------------------------------------------------------
const TYPES = { utf8: 2, double: 3, uint16: 5, uint32: 6, map: 7, uint64: 9, array: 11, boolean: 14 } as const;

/** The control byte of a field, then its extended-type byte (types 8 and up) and its extra size bytes. */
function control(type: number, size: number): Buffer {
  const ext = type > 7 ? [type - 7] : [];
  const typeBits = (type > 7 ? 0 : type) << 5;
  if (size < 29) return Buffer.from([typeBits | size, ...ext]);
  if (size < 285) return Buffer.from([typeBits | 29, ...ext, size - 29]);
  if (size < 65_821) return Buffer.from([typeBits | 30, ...ext, (size - 285) >> 8, (size - 285) & 0xff]);
  const rest = size - 65_821;
  return Buffer.from([typeBits | 31, ...ext, rest >> 16, (rest >> 8) & 0xff, rest & 0xff]);
}

/** Big-endian unsigned integer in as few bytes as it needs (0 takes none). */
function uintBytes(value: bigint): Buffer {
  const bytes: number[] = [];
  for (let v = value; v > 0n; v >>= 8n) bytes.unshift(Number(v & 0xffn));
  return Buffer.from(bytes);
}

function encodeUint(type: number, value: bigint): Buffer {
  const bytes = uintBytes(value);
  return Buffer.concat([control(type, bytes.length), bytes]);
}

/** Encodes a value: strings as utf8_string, maps, arrays, booleans, non-negative integers (uint32, or uint64 with a bigint), other numbers as double. */
export function encodeValue(value: MmdbValue): Buffer {
  if (typeof value === 'string') {
    const bytes = Buffer.from(value, 'utf8');
    return Buffer.concat([control(TYPES.utf8, bytes.length), bytes]);
  }
  if (typeof value === 'boolean') return control(TYPES.boolean, value ? 1 : 0);
  if (typeof value === 'bigint') return encodeUint(TYPES.uint64, value);
  if (typeof value === 'number') {
    if (Number.isInteger(value) && value >= 0 && value <= 0xffffffff) return encodeUint(TYPES.uint32, BigInt(value));
    const bytes = Buffer.alloc(8);
    bytes.writeDoubleBE(value);
    return Buffer.concat([control(TYPES.double, 8), bytes]);
  }
  if (Array.isArray(value)) return Buffer.concat([control(TYPES.array, value.length), ...value.map(encodeValue)]);
  const entries = Object.entries(value);
  return Buffer.concat([control(TYPES.map, entries.length), ...entries.flatMap(([k, v]) => [encodeValue(k), encodeValue(v)])]);
}

// --- search tree -----------------------------------------------------------------------------------------------
type Slot = TreeNode | { data: number } | null;
interface TreeNode {
  children: [Slot, Slot];
}

/** The network's address bits (32 or 128) and prefix length, IPv4 placed under ::/96 in an IPv6 tree. */
function bitsOf(network: string, ipVersion: 4 | 6): { bits: number[]; prefix: number } {
  const [address = '', prefixText] = network.split('/');
  const family = isIP(address);
  if (family === 0) throw new Error(`not an IP network: ${network}`);
  if (family === 6 && ipVersion === 4) throw new Error(`an IPv4 tree cannot hold ${network}`);
  const bytes = family === 4 ? address.split('.').map(Number) : ipv6Bytes(address);
  const own = bytes.flatMap((b) => [7, 6, 5, 4, 3, 2, 1, 0].map((i) => (b >> i) & 1));
  const ownPrefix = prefixText === undefined ? own.length : Number(prefixText);
  if (!Number.isInteger(ownPrefix) || ownPrefix < 0 || ownPrefix > own.length) throw new Error(`bad prefix length: ${network}`);
  if (family === 4 && ipVersion === 6) return { bits: [...new Array(96).fill(0), ...own], prefix: 96 + ownPrefix };
  return { bits: own, prefix: ownPrefix };
}

function ipv6Bytes(address: string): number[] {
  const [head = '', tail] = address.split('::');
  const groups = (s: string) => (s ? s.split(':') : []);
  const h = groups(head);
  const t = tail === undefined ? [] : groups(tail);
  const all = tail === undefined ? h : [...h, ...new Array(8 - h.length - t.length).fill('0'), ...t];
  return all.flatMap((g) => [parseInt(g, 16) >> 8, parseInt(g, 16) & 0xff]);
}

function insert(root: TreeNode, bits: number[], prefix: number, data: number) {
  let node = root;
  for (let depth = 0; depth < prefix - 1; depth++) {
    const bit = bits[depth] === 1 ? 1 : 0;
    let next: Slot = node.children[bit];
    if (next === null) next = node.children[bit] = { children: [null, null] };
    else if ('data' in next) next = node.children[bit] = { children: [next, next] }; // a wider network: split it
    node = next;
  }
  node.children[bits[prefix - 1] === 1 ? 1 : 0] = { data };
}

/** The bytes of a MaxMind DB file mapping each network to its data (later networks win where they overlap). */
export function writeMmdb(networks: MmdbNetwork[], opts: MmdbOptions = {}): Buffer {
  const ipVersion = opts.ipVersion ?? 4;
  const root: TreeNode = { children: [null, null] };
  const dataChunks: Buffer[] = [];
  let dataLength = 0;
  for (const n of networks) {
    const { bits, prefix } = bitsOf(n.network, ipVersion);
    if (prefix === 0) throw new Error('a /0 network is not supported');
    const encoded = encodeValue(n.data);
    insert(root, bits, prefix, dataLength);
    dataChunks.push(encoded);
    dataLength += encoded.length;
  }
  // Number the nodes breadth-first (the root is node 0).
  const order: TreeNode[] = [root];
  for (let i = 0; i < order.length; i++) for (const c of order[i]!.children) if (c && 'children' in c) order.push(c);
  const index = new Map(order.map((n, i) => [n, i]));
  const nodeCount = order.length;
  const recordOf = (slot: Slot): number => (slot === null ? nodeCount : 'data' in slot ? nodeCount + 16 + slot.data : index.get(slot)!);
  const tree = Buffer.alloc(nodeCount * (RECORD_SIZE / 4));
  order.forEach((n, i) => {
    tree.writeUIntBE(recordOf(n.children[0]), i * 6, 3);
    tree.writeUIntBE(recordOf(n.children[1]), i * 6 + 3, 3);
  });
  if (nodeCount + 16 + dataLength >= 2 ** RECORD_SIZE) throw new Error('too large for 24-bit records');

  // The metadata map, with each field in the type the spec gives it.
  const metadata: [string, Buffer][] = [
    ['node_count', encodeUint(TYPES.uint32, BigInt(nodeCount))],
    ['record_size', encodeUint(TYPES.uint16, BigInt(RECORD_SIZE))],
    ['ip_version', encodeUint(TYPES.uint16, BigInt(ipVersion))],
    ['database_type', encodeValue(opts.databaseType ?? 'Test-Country')],
    ['languages', encodeValue(['en'])],
    ['binary_format_major_version', encodeUint(TYPES.uint16, 2n)],
    ['binary_format_minor_version', encodeUint(TYPES.uint16, 0n)],
    ['build_epoch', encodeUint(TYPES.uint64, BigInt(opts.buildEpoch ?? Math.floor(Date.now() / 1000)))],
    ['description', encodeValue({ en: opts.description ?? 'Test database written by test/fakes/mmdb.ts' })],
  ];
  const metadataMap = Buffer.concat([control(TYPES.map, metadata.length), ...metadata.flatMap(([k, v]) => [encodeValue(k), v])]);
  return Buffer.concat([tree, Buffer.alloc(16), ...dataChunks, METADATA_MARKER, metadataMap]);
}
