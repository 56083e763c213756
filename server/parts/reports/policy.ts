import { ROOTS } from '../../../shared/model/parts';
import { REPORT_SECTION_MAX, ReportFieldsSchema, isReportSection } from '../../../shared/model/reports';
import type { PartPolicy } from '../shape/partPolicy';
import { checkField, checkRecordSlot, checkText, describe, ok } from '../shape/checks';

const reportFields = ReportFieldsSchema.shape;

/** Situation reports: plain fields and one plain-text Y.Text per section; a report is never removed. */
export const reportsPolicy: PartPolicy = {
  checkInsert(container, key, content) {
    const where = describe(container, key);
    const [root, , nested] = container.path;
    if (root !== ROOTS.reports) return `${where}: unknown root`;
    if (container.path.length === 1) return checkRecordSlot(container, key, content, where);
    if (container.path.length === 2 && container.kind === 'map') {
      if (isReportSection(key)) return content.kind === 'deleted' || (content.kind === 'type' && content.type === 'text') ? ok : `${where}: must be text`;
      return checkField(reportFields, key, content, where);
    }
    if (container.path.length === 3 && isReportSection(nested ?? null) && container.kind === 'text') {
      return checkText(container, content, where, REPORT_SECTION_MAX);
    }
    return `${where}: not part of a report`;
  },
  checkDelete(container, key) {
    const [root, , nested] = container.path;
    // Overwriting a field deletes its previous value; text is edited by deleting characters.
    if (root === ROOTS.reports && container.path.length === 2 && !isReportSection(key)) return ok;
    if (root === ROOTS.reports && container.path.length === 3 && isReportSection(nested ?? null)) return ok;
    return `${describe(container, key)}: reports and their sections are never removed`;
  },
};
