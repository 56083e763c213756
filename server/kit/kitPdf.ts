import { finished } from 'node:stream/promises';
import type { Writable } from 'node:stream';
import PDFDocument from 'pdfkit';
import type { IncidentMeta } from '../../shared/model/incident';
import type { Task } from '../../shared/model/tasks';
import type { IncidentRole } from '../../shared/auth/roles';
import { LOG_CATEGORIES, VERIFICATION_STATES } from '../../shared/model/log';
import { SEVERITIES } from '../../shared/model/common';
import { type DateFormatter, dateFormatter } from '../../shared/i18n/dates';
import { registerPdfFonts } from '../export/pdf/fonts';
import { drawExerciseBand } from '../export/pdf/exerciseBand';
import { exerciseMarkOf, markedTitle } from '../export/exerciseMark';
import { type KitLanguage, type KitWords, kitWords } from './kitLabels';

/**
 * The latest published situation report, as the kit prints it. The situation reports are their
 * own document part; whoever wires them maps the latest published one to this (null: none yet).
 */
export interface KitReport {
  publishedAt: string;
  title?: string;
  sections: Array<{ heading: string; text: string }>;
}

export interface KitMember {
  name: string;
  email: string;
  role: IncidentRole;
}

export interface KitInput {
  incident: IncidentMeta;
  members: KitMember[];
  /** Every task; the kit prints those not done or cancelled. */
  tasks: Task[];
  latestReport: KitReport | null;
  producedAt: Date;
  producedBy: string;
  timeZone: string;
  lang: KitLanguage;
  /** Blank log sheets to print. */
  blankSheets: number;
}

/** A4 landscape, in points: the log sheet's text column needs the width. */
const PAGE = { width: 841.89, height: 595.28 };
const M = { top: 40, bottom: 44, left: 40, right: 40 };
const WIDTH = PAGE.width - M.left - M.right;
const BOTTOM = PAGE.height - M.bottom;
const ROW_PAD = 3;

/** Tasks still to do, most urgent first, then by due time. */
export function openTasksOf(tasks: Task[]): Task[] {
  const rank = { urgent: 0, high: 1, normal: 2, low: 3 } as const;
  return tasks
    .filter((t) => t.status !== 'done' && t.status !== 'cancelled')
    .sort((a, b) => rank[a.priority] - rank[b.priority] || (a.dueAt ?? '9999').localeCompare(b.dueAt ?? '9999') || a.order - b.order);
}

type Cell = string | { title: string; body: string };

interface Column {
  label: string;
  width: number;
}

/**
 * The paper crisis kit, printed before the network goes or while it is still there: the cell's
 * contacts, the open tasks, the latest published situation report and blank log sheets whose
 * columns are the log's (time, source/writer, category, severity, verification, key, text), so
 * what is written on paper is typed back in as it is.
 */
export async function writeKitPdf(input: KitInput, out: Writable): Promise<void> {
  const w = kitWords(input.lang);
  const local = dateFormatter(input.lang, input.timeZone);
  const produced = input.producedAt.toISOString();
  // An exercise's kit (issue 17): the mark in its title, a red band atop every page and in every footer.
  const mark = exerciseMarkOf(input.incident, input.lang);
  const doc = new PDFDocument({
    size: 'A4',
    layout: 'landscape',
    margins: M,
    autoFirstPage: false,
    info: { Title: markedTitle(`${w.title} — ${input.incident.title}`, mark), Author: input.producedBy, Subject: input.incident.id, Keywords: 'crisis-cell kit', CreationDate: input.producedAt },
  });
  registerPdfFonts(doc);
  doc.pipe(out);
  const written = finished(out);
  written.catch(() => undefined);

  let pages = 0;
  let header: (() => void) | null = null;
  let y = M.top;
  const shortTitle = input.incident.title.length > 70 ? `${input.incident.title.slice(0, 69)}…` : input.incident.title;
  doc.on('pageAdded', () => {
    pages += 1;
    if (mark) drawExerciseBand(doc, mark);
    doc.page.margins.bottom = 0;
    doc.font('sans').fontSize(7).fillColor('#546e7a');
    doc.text(`${mark ? `${mark} — ` : ''}${w.title} — ${shortTitle} — ${input.incident.id} — ${local.dateTime(produced)} — ${w.page} ${pages}`, M.left, PAGE.height - 28, { width: WIDTH, lineBreak: false });
    doc.page.margins.bottom = M.bottom;
    doc.fillColor('black');
    y = M.top;
    header?.();
  });

  const heading = (text: string) => {
    if (y + 60 > BOTTOM) doc.addPage();
    doc.font('bold').fontSize(13).fillColor('black').text(text, M.left, y, { width: WIDTH });
    y = doc.y + 6;
  };
  const para = (text: string, font = 'sans', size = 9, color = 'black') => {
    doc.font(font).fontSize(size);
    if (y + doc.heightOfString(text, { width: WIDTH }) > BOTTOM) doc.addPage();
    // Again: a new page's footer (and an exercise's band) changed the font.
    doc.font(font).fontSize(size).fillColor(color).text(text, M.left, y, { width: WIDTH });
    doc.fillColor('black');
    y = doc.y + 4;
  };
  /** A cell's height and drawing: a plain string, or a bold title over its text. */
  const cellHeight = (cell: Cell, width: number) => {
    if (typeof cell === 'string') return doc.font('sans').fontSize(8.5).heightOfString(cell || ' ', { width });
    return doc.font('bold').fontSize(8.5).heightOfString(cell.title, { width }) + (cell.body ? doc.font('sans').fontSize(8).heightOfString(cell.body, { width }) : 0);
  };
  const drawCell = (cell: Cell, x: number, top: number, width: number) => {
    if (typeof cell === 'string') {
      doc.font('sans').fontSize(8.5).text(cell, x, top, { width });
      return;
    }
    doc.font('bold').fontSize(8.5).text(cell.title, x, top, { width });
    if (cell.body) doc.font('sans').fontSize(8).fillColor('#37474f').text(cell.body, x, doc.y, { width }).fillColor('black');
  };
  /** A table whose rows never split; the column titles repeat on every page it spans. */
  const table = (columns: Column[], rows: Cell[][]) => {
    const widths = columns.map((c) => (c.width === 0 ? WIDTH - columns.reduce((n, x) => n + x.width, 0) : c.width));
    const titles = () => {
      let x = M.left;
      doc.font('bold').fontSize(8.5).fillColor('#263238');
      columns.forEach((c, i) => {
        doc.text(c.label, x + 2, y, { width: widths[i]! - 4, lineBreak: false });
        x += widths[i]!;
      });
      doc.moveTo(M.left, y + 12).lineTo(M.left + WIDTH, y + 12).lineWidth(0.7).stroke('#90a4ae');
      doc.fillColor('black');
      y += 15;
    };
    if (y + 40 > BOTTOM) doc.addPage();
    titles();
    header = titles;
    for (const row of rows) {
      const height = Math.max(...row.map((cell, i) => cellHeight(cell, widths[i]! - 4))) + ROW_PAD * 2;
      if (y + height > BOTTOM) doc.addPage();
      let x = M.left;
      row.forEach((cell, i) => {
        drawCell(cell, x + 2, y + ROW_PAD, widths[i]! - 4);
        x += widths[i]!;
      });
      y += height;
      doc.moveTo(M.left, y).lineTo(M.left + WIDTH, y).lineWidth(0.3).stroke('#cfd8dc');
    }
    header = null;
    y += 10;
  };

  // Cover: what this is, for which incident, when printed.
  doc.addPage();
  doc.font('bold').fontSize(18).text(markedTitle(w.title, mark), M.left, y, { width: WIDTH });
  y = doc.y + 4;
  doc.font('bold').fontSize(13).text(input.incident.title, M.left, y, { width: WIDTH });
  y = doc.y + 6;
  para(`${w.incident} ${input.incident.id} — ${w.openedAt} ${local.dateTime(input.incident.openedAt)}`);
  para(`${w.producedAt} ${local.dateTime(produced)} — ${w.producedBy} ${input.producedBy}`);
  para(w.timesIn(input.timeZone, local.offset(produced)), 'bold', 9);
  para(w.contents, 'sans', 8.5, '#546e7a');
  y += 8;

  heading(w.contacts);
  printContacts(input.members, w, para, table);

  heading(w.openTasks);
  printOpenTasks(input.tasks, w, local, para, table);

  heading(w.report);
  printReport(input.latestReport, w, local, para);

  for (let sheet = 1; sheet <= input.blankSheets; sheet++) logSheet(doc, w, sheet, input.blankSheets, input.incident);

  doc.end();
  await written;
}

/** A paragraph of the kit's flowing text; a table whose rows never split (writeKitPdf's). */
type Para = (text: string, font?: string, size?: number, color?: string) => void;
type Table = (columns: Column[], rows: Cell[][]) => void;

/** The cell's members, the director first, then by role and name. */
function printContacts(members: KitMember[], w: KitWords, para: Para, table: Table): void {
  const roleOrder: Record<IncidentRole, number> = { director: 0, member: 1, observer: 2, animator: 3, evaluator: 4 };
  const sorted = [...members].sort((a, b) => roleOrder[a.role] - roleOrder[b.role] || a.name.localeCompare(b.name));
  if (sorted.length === 0) para(w.noMembers);
  else table([{ label: w.name, width: 240 }, { label: w.role, width: 120 }, { label: w.email, width: 0 }], sorted.map((m) => [m.name, w.roles[m.role], m.email]));
}

function printOpenTasks(tasks: Task[], w: KitWords, local: DateFormatter, para: Para, table: Table): void {
  const open = openTasksOf(tasks);
  if (open.length === 0) para(w.noOpenTasks);
  else
    table(
      [{ label: w.task, width: 0 }, { label: w.status, width: 70 }, { label: w.priority, width: 60 }, { label: w.assignee, width: 150 }, { label: w.due, width: 95 }],
      open.map((t) => [{ title: t.title, body: t.description }, w.taskStatus[t.status], w.priorities[t.priority], t.assignee ?? '—', t.dueAt ? local.dateTime(t.dueAt) : '—']),
    );
}

function printReport(report: KitReport | null, w: KitWords, local: DateFormatter, para: Para): void {
  if (!report) {
    para(w.noReport, 'sans', 9.5, '#546e7a');
    return;
  }
  para(`${report.title ? `${report.title} — ` : ''}${w.publishedAt} ${local.dateTime(report.publishedAt)}`, 'bold', 10);
  for (const s of report.sections) {
    para(s.heading, 'bold', 9.5);
    if (s.text) para(s.text);
  }
}

/** Column widths of a blank log sheet (the text column takes the rest). */
const SHEET_COLUMNS = [
  { key: 'time', width: 58 },
  { key: 'source', width: 120 },
  { key: 'category', width: 78 },
  { key: 'severity', width: 58 },
  { key: 'verification', width: 72 },
  { key: 'key', width: 30 },
  { key: 'text', width: 0 },
] as const;
const SHEET_ROW = 27;

function logSheet(doc: PDFKit.PDFDocument, w: KitWords, sheet: number, sheets: number, incident: IncidentMeta): void {
  doc.addPage();
  let y = M.top;
  doc.font('bold').fontSize(12).fillColor('black').text(`${w.logSheets} — ${w.sheet} ${sheet}/${sheets}`, M.left, y, { width: WIDTH / 2, lineBreak: false });
  const title = incident.title.length > 50 ? `${incident.title.slice(0, 49)}…` : incident.title;
  doc.font('sans').fontSize(9).text(`${w.incident} ${title} (${incident.id})`, M.left + WIDTH / 2, y + 2, { width: WIDTH / 2, align: 'right', lineBreak: false });
  y += 18;
  doc.font('sans').fontSize(7.5).fillColor('#546e7a').text(w.logSheetHint, M.left, y, { width: WIDTH });
  y = doc.y + 1;
  const legend = `${w.legend} — ${w.columns.category}${w.colon} ${LOG_CATEGORIES.map((c) => w.category[c]).join(' · ')} — ${w.columns.severity}${w.colon} ${SEVERITIES.map((s) => w.severity[s]).join(' · ')} — ${w.columns.verification}${w.colon} ${VERIFICATION_STATES.map((v) => w.verification[v]).join(' · ')} — ${w.columns.key}${w.colon} ☐`;
  doc.text(legend, M.left, y, { width: WIDTH });
  y = doc.y + 6;
  doc.fillColor('black');
  const fixed = SHEET_COLUMNS.reduce((n, c) => n + c.width, 0);
  const widths = SHEET_COLUMNS.map((c) => (c.width === 0 ? WIDTH - fixed : c.width));
  const xs = widths.reduce<number[]>((acc, _w, i) => [...acc, i === 0 ? M.left : acc[i - 1]! + widths[i - 1]!], []);
  const top = y;
  doc.rect(M.left, y, WIDTH, 16).fill('#eceff1');
  doc.fillColor('#263238').font('bold').fontSize(8.5);
  SHEET_COLUMNS.forEach((c, i) => doc.text(w.columns[c.key], xs[i]! + 3, y + 4, { width: widths[i]! - 6, lineBreak: false }));
  doc.fillColor('black');
  y += 16;
  while (y + SHEET_ROW <= BOTTOM) {
    y += SHEET_ROW;
    doc.moveTo(M.left, y).lineTo(M.left + WIDTH, y).lineWidth(0.4).stroke('#90a4ae');
  }
  // Vertical rules and the frame.
  for (let i = 1; i < xs.length; i++) doc.moveTo(xs[i]!, top).lineTo(xs[i]!, y).lineWidth(0.4).stroke('#90a4ae');
  doc.rect(M.left, top, WIDTH, y - top).lineWidth(0.8).stroke('#455a64');
}
