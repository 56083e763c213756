// Prints {"total": <pages>, "pages": ["<text of page 1>", ...]} for the PDF file named in argv.
// A separate process: pdf-parse (pdf.js) loads its worker with a dynamic import, which jest's
// module sandbox does not allow.
import fs from 'node:fs';
import { PDFParse } from 'pdf-parse';

const parser = new PDFParse({ data: fs.readFileSync(process.argv[2]) });
try {
  const result = await parser.getText();
  process.stdout.write(JSON.stringify({ total: result.total, pages: result.pages.map((p) => p.text) }));
} finally {
  await parser.destroy();
}
