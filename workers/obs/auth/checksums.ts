/**
 * Streaming hashes for payload verification: the S3 checksum algorithms (CRC32, CRC32C, CRC64NVME, SHA-1,
 * SHA-256) behind one `Hasher` shape. CRCs are table driven (slicing by 8 for the 32-bit ones, since a 1 GiB
 * body must not cost seconds of CPU); SHA digests go through workerd's `crypto.DigestStream`, never a buffer.
 */

/** The algorithms of `x-amz-checksum-*` headers and trailers. */
export const CHECKSUM_ALGORITHMS = ['crc32', 'crc32c', 'crc64nvme', 'sha1', 'sha256'] as const;
export type ChecksumAlgorithm = (typeof CHECKSUM_ALGORITHMS)[number];

/** Whether a name (lowercase) is a supported checksum algorithm. */
export function isChecksumAlgorithm(name: string): name is ChecksumAlgorithm {
  return (CHECKSUM_ALGORITHMS as readonly string[]).includes(name);
}

/** An incremental hash: feed it bytes in order, then ask once for the digest. */
export interface Hasher {
  update(data: Uint8Array): void | Promise<void>;
  digest(): Promise<Uint8Array>;
}

/** A 32-bit reflected CRC's 8 slicing tables, flattened: table k at [k * 256, k * 256 + 256). */
function crc32Tables(polynomial: number): Int32Array {
  const t = new Int32Array(8 * 256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ polynomial : c >>> 1;
    t[n] = c;
  }
  for (let n = 0; n < 256; n++) {
    for (let k = 1; k < 8; k++) {
      const prev = t[(k - 1) * 256 + n]!;
      t[k * 256 + n] = (prev >>> 8) ^ t[prev & 0xff]!;
    }
  }
  return t;
}

class Crc32 implements Hasher {
  private crc = ~0;
  constructor(private readonly t: Int32Array) {}

  update(b: Uint8Array): void {
    const t = this.t;
    let c = this.crc;
    let i = 0;
    const end8 = b.length - (b.length % 8);
    for (; i < end8; i += 8) {
      c ^= b[i]! | (b[i + 1]! << 8) | (b[i + 2]! << 16) | (b[i + 3]! << 24);
      c =
        t[1792 + (c & 0xff)]! ^
        t[1536 + ((c >>> 8) & 0xff)]! ^
        t[1280 + ((c >>> 16) & 0xff)]! ^
        t[1024 + (c >>> 24)]! ^
        t[768 + b[i + 4]!]! ^
        t[512 + b[i + 5]!]! ^
        t[256 + b[i + 6]!]! ^
        t[b[i + 7]!]!;
    }
    for (; i < b.length; i++) c = t[(c ^ b[i]!) & 0xff]! ^ (c >>> 8);
    this.crc = c;
  }

  async digest(): Promise<Uint8Array> {
    const v = ~this.crc >>> 0;
    return Uint8Array.of(v >>> 24, (v >>> 16) & 0xff, (v >>> 8) & 0xff, v & 0xff);
  }
}

/** CRC-64/NVME's table as two 32-bit halves (no BigInt on the hot path). */
function crc64Tables(): { lo: Uint32Array; hi: Uint32Array } {
  const poly = 0x9a6c9329ac4bc9b5n;
  const lo = new Uint32Array(256);
  const hi = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = BigInt(n);
    for (let k = 0; k < 8; k++) c = c & 1n ? (c >> 1n) ^ poly : c >> 1n;
    lo[n] = Number(c & 0xffffffffn);
    hi[n] = Number(c >> 32n);
  }
  return { lo, hi };
}

class Crc64 implements Hasher {
  private lo = 0xffffffff;
  private hi = 0xffffffff;
  constructor(private readonly t: { lo: Uint32Array; hi: Uint32Array }) {}

  update(b: Uint8Array): void {
    const { lo: tl, hi: th } = this.t;
    let lo = this.lo;
    let hi = this.hi;
    for (let i = 0; i < b.length; i++) {
      const idx = (lo ^ b[i]!) & 0xff;
      lo = (((lo >>> 8) | (hi << 24)) ^ tl[idx]!) >>> 0;
      hi = ((hi >>> 8) ^ th[idx]!) >>> 0;
    }
    this.lo = lo;
    this.hi = hi;
  }

  async digest(): Promise<Uint8Array> {
    const out = new Uint8Array(8);
    const view = new DataView(out.buffer);
    view.setUint32(0, ~this.hi >>> 0);
    view.setUint32(4, ~this.lo >>> 0);
    return out;
  }
}

/** Below this, bytes are batched before they reach the DigestStream: one write per tiny read costs more than the hash. */
const DIGEST_BATCH = 64 * 1024;

class Digest implements Hasher {
  private writer: WritableStreamDefaultWriter<ArrayBufferView> | null = null;
  private stream: DigestStream | null = null;
  private pending: Uint8Array | null = null;
  private used = 0;
  constructor(private readonly algorithm: 'SHA-1' | 'SHA-256') {}

  async update(data: Uint8Array): Promise<void> {
    if (this.used + data.length > DIGEST_BATCH) await this.spill();
    if (data.length >= DIGEST_BATCH) return this.write(data);
    this.pending ??= new Uint8Array(DIGEST_BATCH);
    this.pending.set(data, this.used);
    this.used += data.length;
  }

  async digest(): Promise<Uint8Array> {
    // Small inputs never open a stream: one digest call over the batch.
    if (!this.writer)
      return new Uint8Array(await crypto.subtle.digest(this.algorithm, this.pending?.subarray(0, this.used) ?? new Uint8Array(0)));
    await this.spill();
    await this.writer.close();
    return new Uint8Array(await this.stream!.digest);
  }

  private async spill(): Promise<void> {
    if (!this.used) return;
    const batch = this.pending!.subarray(0, this.used);
    this.pending = null;
    this.used = 0;
    await this.write(batch);
  }

  private write(data: Uint8Array): Promise<void> {
    if (!this.writer) {
      this.stream = new crypto.DigestStream(this.algorithm);
      this.writer = this.stream.getWriter();
    }
    return this.writer.write(data);
  }
}

let tables: { crc32: Int32Array; crc32c: Int32Array; crc64: { lo: Uint32Array; hi: Uint32Array } } | undefined;
function crcTables() {
  tables ??= { crc32: crc32Tables(0xedb88320), crc32c: crc32Tables(0x82f63b78), crc64: crc64Tables() };
  return tables;
}

/** A fresh hasher for an algorithm. */
export function hasher(algorithm: ChecksumAlgorithm): Hasher {
  switch (algorithm) {
    case 'crc32':
      return new Crc32(crcTables().crc32);
    case 'crc32c':
      return new Crc32(crcTables().crc32c);
    case 'crc64nvme':
      return new Crc64(crcTables().crc64);
    case 'sha1':
      return new Digest('SHA-1');
    case 'sha256':
      return new Digest('SHA-256');
  }
}

/** Standard base64 (the encoding of `x-amz-checksum-*` values). */
export function base64(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s);
}
