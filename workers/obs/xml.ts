/**
 * S3 XML: documents written from plain objects (a key per element, arrays repeat their element), and request
 * bodies read with fast-xml-parser (entities, CDATA and namespaces done right, which a hand parser gets wrong).
 */
import { XMLParser } from 'fast-xml-parser';
import { concatBytes } from '../lib/crypto.ts';
import { S3Error, s3 } from './errors.ts';

export type XmlValue = string | number | boolean | null | undefined | XmlObject | XmlValue[];
export interface XmlObject {
  [element: string]: XmlValue;
}

const ESCAPES: Record<string, string> = { '<': '&lt;', '>': '&gt;', '&': '&amp;', "'": '&apos;', '"': '&quot;', '\r': '&#13;' };

/** Escapes text for an XML element or attribute. */
export const escapeXml = (s: string) => s.replace(/[<>&'"\r]/g, (ch) => ESCAPES[ch] ?? ch);

function render(name: string, value: XmlValue, out: string[]): void {
  if (value === undefined) return;
  if (Array.isArray(value)) {
    for (const item of value) render(name, item, out);
    return;
  }
  if (value === null) {
    out.push(`<${name}/>`);
    return;
  }
  if (typeof value === 'object') {
    const attr = name.includes(' ') ? name.slice(name.indexOf(' ')) : '';
    const tag = name.split(' ')[0]!;
    out.push(`<${tag}${attr}>`);
    for (const [child, v] of Object.entries(value)) render(child, v, out);
    out.push(`</${tag}>`);
    return;
  }
  out.push(`<${name}>${escapeXml(String(value))}</${name}>`);
}

export const S3_NS = 'http://s3.amazonaws.com/doc/2006-03-01/';

/** An XML document with one root element in S3's namespace. */
export function xmlDocument(root: string, body: XmlObject, namespace = true): string {
  const out = ['<?xml version="1.0" encoding="UTF-8"?>\n'];
  render(namespace ? `${root} xmlns="${S3_NS}"` : root, body, out);
  return out.join('');
}

/** A 200 response carrying an XML document. */
export function xmlResponse(root: string, body: XmlObject, init: { status?: number; headers?: Record<string, string> } = {}): Response {
  return new Response(xmlDocument(root, body), {
    status: init.status ?? 200,
    headers: { 'Content-Type': 'application/xml', ...init.headers },
  });
}

/** A 200 response whose root element holds only text (`<StorageClass>WARM</StorageClass>`). */
export function xmlTextResponse(root: string, text: string): Response {
  return new Response(`<?xml version="1.0" encoding="UTF-8"?>\n<${root} xmlns="${S3_NS}">${escapeXml(text)}</${root}>`, {
    headers: { 'Content-Type': 'application/xml' },
  });
}

/** Elements that may repeat, always read as arrays. */
const REPEATED = new Set([
  'Object',
  'Part',
  'Tag',
  'CORSRule',
  'AllowedOrigin',
  'AllowedMethod',
  'AllowedHeader',
  'ExposeHeader',
  'Rule',
  'Grant',
  'Transition',
  'NoncurrentVersionTransition',
]);

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@',
  removeNSPrefix: true,
  parseTagValue: false,
  parseAttributeValue: false,
  // Keys, tag values and the like keep their spaces, as S3 keeps them.
  trimValues: false,
  processEntities: true,
  // Go clients (rclone) write quotes as `&#34;`.
  htmlEntities: true,
  isArray: (name) => REPEATED.has(name),
});

/** Largest XML request body accepted (a 1,000-key delete with 1,024-byte keys fits). */
export const MAX_XML_BYTES = 2 * 1024 * 1024;

/** Reads a request body of at most MAX_XML_BYTES as text; with `notUtf8`, bytes that are not UTF-8 throw what it makes. */
export async function readBodyText(body: ReadableStream<Uint8Array> | null, max = MAX_XML_BYTES, notUtf8?: () => Error): Promise<string> {
  if (!body) return '';
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > max) {
      await reader.cancel();
      throw new S3Error(400, 'MaxMessageLengthExceeded', 'Your request was too big.');
    }
    chunks.push(value);
  }
  const bytes = concatBytes(chunks);
  if (!notUtf8) return new TextDecoder().decode(bytes);
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    throw notUtf8();
  }
}

/** The value of a document's root element `root` as the parser gives it; MalformedXML if it is not the root. */
function rootOf(text: string, root: string): unknown {
  let doc: Record<string, unknown>;
  try {
    doc = parser.parse(text, true) as Record<string, unknown>;
  } catch {
    throw s3.malformedXml();
  }
  const value = doc[root];
  if (value === undefined) throw s3.malformedXml();
  return value;
}

/** Parses an XML request body whose root must be `root`; MalformedXML otherwise. */
export function parseXml(text: string, root: string): Record<string, unknown> {
  const value = rootOf(text, root);
  return typeof value === 'string' ? {} : (value as Record<string, unknown>);
}

/** The text of a document's root element that holds only text, or MalformedXML. */
export function rootText(text: string, root: string): string {
  const value = rootOf(text, root);
  if (typeof value === 'string') return value;
  const inner = childText({ value }, 'value');
  if (inner === undefined) throw s3.malformedXml();
  return inner;
}

/** The text of a child element, or undefined. */
export function childText(node: unknown, name: string): string | undefined {
  if (!node || typeof node !== 'object') return undefined;
  const v = (node as Record<string, unknown>)[name];
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'object') return (v as Record<string, unknown>)['#text'] as string | undefined;
  return String(v);
}

/** The one child element `name` (undefined when absent), even among those read as arrays; MalformedXML when it repeats. */
export function onlyChild(node: Record<string, unknown>, name: string): unknown {
  const v = node[name];
  if (!Array.isArray(v)) return v;
  if (v.length !== 1) throw s3.malformedXml();
  return v[0];
}
