import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export interface PdfText {
  total: number;
  pages: string[];
}

/** The page count and the text of each page of a PDF, extracted by pdf-parse in a child process. */
export async function pdfText(pdf: Buffer): Promise<PdfText> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'crisis-pdf-'));
  const file = path.join(dir, 'export.pdf');
  try {
    fs.writeFileSync(file, pdf);
    const stdout = await new Promise<string>((resolve, reject) => {
      execFile(process.execPath, [path.join(__dirname, 'extractPdfText.mjs'), file], { maxBuffer: 256 * 1024 * 1024 }, (err, out, errOut) => (err ? reject(new Error(`${err.message}\n${errOut}`)) : resolve(out)));
    });
    return JSON.parse(stdout) as PdfText;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
