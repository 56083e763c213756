import type { LogCategory, Verification } from '../../shared/model/log';
import type { Severity } from '../../shared/model/common';
import type { Priority, TaskStatus } from '../../shared/model/tasks';
import type { IncidentRole } from '../../shared/auth/roles';
import { CATEGORY_LABELS, PRIORITY_LABELS, SEVERITY_LABELS, TASK_STATUS_LABELS, VERIFICATION_LABELS } from '../../shared/timeline/labels';

export type KitLanguage = 'fr' | 'en';

/** Words of the paper crisis kit, in French (default: the cell's paper) and English. */
export interface KitWords {
  title: string;
  incident: string;
  openedAt: string;
  producedAt: string;
  producedBy: string;
  timeZone: string;
  contents: string;
  contacts: string;
  name: string;
  role: string;
  email: string;
  noMembers: string;
  openTasks: string;
  task: string;
  status: string;
  priority: string;
  assignee: string;
  due: string;
  noOpenTasks: string;
  report: string;
  publishedAt: string;
  noReport: string;
  logSheets: string;
  logSheetHint: string;
  columns: { time: string; source: string; category: string; severity: string; verification: string; key: string; text: string };
  legend: string;
  sheet: string;
  page: string;
  roles: Record<IncidentRole, string>;
  category: Record<LogCategory, string>;
  severity: Record<Severity, string>;
  verification: Record<Verification, string>;
  taskStatus: Record<TaskStatus, string>;
  priorities: Record<Priority, string>;
}

export const KIT_WORDS: Record<KitLanguage, KitWords> = {
  fr: {
    title: 'Kit papier de la cellule de crise',
    incident: 'Incident',
    openedAt: 'Ouvert le',
    producedAt: 'Imprimé le',
    producedBy: 'Par',
    timeZone: 'Heures en',
    contents: 'Contenu : contacts de la cellule, tâches ouvertes, dernier point de situation publié, feuilles de main courante vierges.',
    contacts: 'Contacts de la cellule',
    name: 'Nom',
    role: 'Rôle',
    email: 'Courriel',
    noMembers: 'Aucun membre.',
    openTasks: 'Tâches ouvertes',
    task: 'Tâche',
    status: 'État',
    priority: 'Priorité',
    assignee: 'Responsable',
    due: 'Échéance',
    noOpenTasks: 'Aucune tâche ouverte.',
    report: 'Dernier point de situation publié',
    publishedAt: 'Publié le',
    noReport: 'Aucun point de situation publié.',
    logSheets: 'Main courante — feuille papier',
    logSheetHint: 'Une ligne par fait. Heure de l’événement, qui le rapporte ou l’écrit. À ressaisir dans la main courante dès le retour du réseau.',
    columns: { time: 'Heure', source: 'Source / rédacteur', category: 'Catégorie', severity: 'Gravité', verification: 'Vérification', key: 'Clé', text: 'Texte' },
    legend: 'Valeurs',
    sheet: 'Feuille',
    page: 'Page',
    roles: { director: 'directeur', member: 'membre', observer: 'observateur', animator: 'animateur', evaluator: 'évaluateur' },
    category: CATEGORY_LABELS,
    severity: SEVERITY_LABELS,
    verification: VERIFICATION_LABELS,
    taskStatus: TASK_STATUS_LABELS,
    priorities: PRIORITY_LABELS,
  },
  en: {
    title: 'Crisis cell paper kit',
    incident: 'Incident',
    openedAt: 'Opened',
    producedAt: 'Printed',
    producedBy: 'By',
    timeZone: 'Times in',
    contents: 'Contents: cell contacts, open tasks, latest published situation report, blank log sheets.',
    contacts: 'Cell contacts',
    name: 'Name',
    role: 'Role',
    email: 'Email',
    noMembers: 'No members.',
    openTasks: 'Open tasks',
    task: 'Task',
    status: 'Status',
    priority: 'Priority',
    assignee: 'Owner',
    due: 'Due',
    noOpenTasks: 'No open tasks.',
    report: 'Latest published situation report',
    publishedAt: 'Published',
    noReport: 'No published situation report.',
    logSheets: 'Log — paper sheet',
    logSheetHint: 'One line per fact. Time of the event, who reports or writes it. Type it into the log as soon as the network is back.',
    columns: { time: 'Time', source: 'Source / writer', category: 'Category', severity: 'Severity', verification: 'Verification', key: 'Key', text: 'Text' },
    legend: 'Values',
    sheet: 'Sheet',
    page: 'Page',
    roles: { director: 'director', member: 'member', observer: 'observer', animator: 'animator', evaluator: 'evaluator' },
    category: { information: 'Information', action: 'Action', decision: 'Decision', alert: 'Alert', communication: 'Communication' },
    severity: { low: 'low', medium: 'medium', high: 'high', critical: 'critical' },
    verification: { to_check: 'to check', being_checked: 'being checked', confirmed: 'confirmed', refuted: 'refuted' },
    taskStatus: { todo: 'to do', in_progress: 'in progress', blocked: 'blocked', done: 'done', cancelled: 'cancelled' },
    priorities: { low: 'low', normal: 'normal', high: 'high', urgent: 'urgent' },
  },
};
