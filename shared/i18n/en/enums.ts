import type { Severity } from '../../model/common';
import type { LogCategory, Verification } from '../../model/log';
import type { Priority, TaskStatus } from '../../model/tasks';
import type { DecisionStatus } from '../../model/decisions';
import type { IncidentRole } from '../../auth/roles';
import type { TimelineKind } from '../../timeline/events';

/**
 * One label per value of every enum, used alike by the screens and by every export (timeline,
 * reports, kit, drafts): the label parity test checks nobody keeps a second table.
 */
export interface EnumLabels {
  category: Record<LogCategory, string>;
  severity: Record<Severity, string>;
  status: Record<TaskStatus, string>;
  priority: Record<Priority, string>;
  decision: Record<DecisionStatus, string>;
  role: Record<IncidentRole, string>;
  verification: Record<Verification, string>;
  /** Timeline event kinds. */
  kind: Record<TimelineKind, string>;
  /** Incident status. */
  incidentStatus: Record<'open' | 'closed', string>;
}

export const enums: EnumLabels = {
  category: { information: 'Information', action: 'Action', decision: 'Decision', alert: 'Alert', communication: 'Communication' },
  severity: { low: 'Low', medium: 'Medium', high: 'High', critical: 'Critical' },
  status: { todo: 'To do', in_progress: 'In progress', blocked: 'Blocked', done: 'Done', cancelled: 'Cancelled' },
  priority: { low: 'Low', normal: 'Normal', high: 'High', urgent: 'Urgent' },
  decision: { proposed: 'Proposed', approved: 'Approved', rejected: 'Rejected', superseded: 'Superseded', revoked: 'Revoked' },
  role: { director: 'Director', member: 'Member', observer: 'Observer', animator: 'Animator', evaluator: 'Evaluator' },
  verification: { to_check: 'To check', being_checked: 'Being checked', confirmed: 'Confirmed', refuted: 'Refuted' },
  kind: {
    'incident.opened': 'Incident opened',
    'incident.updated': 'Incident changed',
    'incident.closed': 'Incident closed',
    'incident.reopened': 'Incident reopened',
    'log.entry': 'Log entry',
    'log.amendment': 'Amendment',
    'log.verification': 'Verification changed',
    'task.created': 'Task created',
    'task.assigned': 'Task assigned',
    'task.moved': 'Task moved',
    'task.done': 'Task done',
    'task.updated': 'Task changed',
    'decision.proposed': 'Decision proposed',
    'decision.approved': 'Decision approved',
    'decision.rejected': 'Decision rejected',
    'decision.superseded': 'Decision superseded',
    'decision.revoked': 'Decision revoked',
    'decision.updated': 'Decision changed',
    'regulatory.drafted': 'Notification drafted',
    'regulatory.sent': 'Notification sent',
    'report.published': 'Situation report published',
    'member.joined': 'Member joined',
    'member.role_changed': 'Role changed',
    'member.left': 'Member left',
  },
  incidentStatus: { open: 'Open', closed: 'Closed' },
};
