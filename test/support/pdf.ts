import { deflateSync } from 'node:zlib';

/** A small but valid PDF with one text line per page (an empty string makes a page with no text, as a scan has). */
export function pdfDocument(pages: readonly string[], title?: string, rawStream?: Buffer): Buffer {
  const objects: string[] = [];
  const add = (body: string) => objects.push(body) + 0;
  add('<< /Type /Catalog /Pages 2 0 R >>');
  add(''); // the page tree, filled in once the pages are numbered
  add('<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>');
  add(`<< ${title ? `/Title (${title}) ` : ''}/Producer (Stepwise tests) >>`);
  const kids: number[] = [];
  for (const text of pages) {
    const stream = rawStream ? rawStream.toString('latin1') : text ? `BT /F1 14 Tf 72 700 Td (${text.replace(/[()\\]/g, '\\$&')}) Tj ET` : '';
    add(`<< /Length ${stream.length}${rawStream ? ' /Filter /FlateDecode' : ''} >>\nstream\n${stream}\nendstream`);
    const contents = objects.length;
    add(`<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents ${contents} 0 R /Resources << /Font << /F1 3 0 R >> >> >>`);
    kids.push(objects.length);
  }
  objects[1] = `<< /Type /Pages /Kids [${kids.map((k) => `${k} 0 R`).join(' ')}] /Count ${kids.length} >>`;
  let out = '%PDF-1.4\n';
  const offsets: number[] = [];
  objects.forEach((body, i) => {
    offsets.push(Buffer.byteLength(out, 'latin1'));
    out += `${i + 1} 0 obj\n${body}\nendobj\n`;
  });
  const xref = Buffer.byteLength(out, 'latin1');
  out += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n${offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('')}`;
  out += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R /Info 4 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(out, 'latin1');
}

/** A one-page PDF whose content stream is `inflated` bytes of spaces, compressed: small on the wire, huge once read. */
export function pdfBomb(inflated: number): Buffer {
  return pdfDocument([''], undefined, deflateSync(Buffer.alloc(inflated, ' '), { level: 9 }));
}
