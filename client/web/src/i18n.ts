import type { Severity } from '../../../shared/model/common';
import type { LogCategory } from '../../../shared/model/log';
import type { Priority, TaskStatus } from '../../../shared/model/tasks';
import type { DecisionStatus } from '../../../shared/model/decisions';

export type Lang = 'fr' | 'en';

const fr = {
  appTitle: 'Cellule de crise',
  language: 'Langue',
  switchTo: 'English',
  switchToLang: 'en',
  // name
  namePrompt: 'Votre nom',
  nameHelp: 'Il signe chacune de vos écritures (main courante, tâches, décisions). Il reste dans ce navigateur.',
  nameSave: 'Continuer',
  you: 'Vous',
  changeName: 'Changer de nom',
  // list
  incidents: 'Incidents',
  openIncidents: 'En cours',
  closedIncidents: 'Clos',
  noIncidents: 'Aucun incident pour le moment.',
  newIncident: 'Nouvel incident',
  incidentTitle: 'Intitulé',
  incidentTitlePlaceholder: 'ex. Cyberattaque — rançongiciel sur le SI',
  detectedAt: 'Détecté le',
  severity: 'Gravité',
  create: 'Créer et ouvrir',
  open: 'Ouvrir',
  openedAt: 'Ouvert',
  statusOpen: 'En cours',
  statusClosed: 'Clos',
  listOffline: 'Serveur injoignable : dernière liste connue.',
  listLoading: 'Chargement…',
  createOffline: 'Création impossible : serveur injoignable. Réessayez quand la connexion revient.',
  createFailed: 'La création a échoué',
  management: 'Vue direction',
  // room
  back: 'Incidents',
  viewLog: 'Main courante',
  viewTasks: 'Tâches',
  viewDecisions: 'Décisions',
  viewManagement: 'Vue direction',
  presence: 'Connectés',
  nobodyElse: 'Personne d’autre',
  inView: 'dans',
  timeZone: 'Fuseau horaire',
  loadingIncident: 'Ouverture de l’incident…',
  unknownIncident: 'Incident introuvable sur le serveur.',
  rejected: 'Écriture refusée par le serveur',
  elapsed: 'Depuis la détection',
  // connection
  live: 'En direct',
  connecting: 'Connexion…',
  reconnecting: 'Reconnexion…',
  offline: 'Hors ligne',
  waitingEdits: (n: number) => (n === 0 ? 'tout est enregistré' : n === 1 ? '1 modification en attente' : `${n} modifications en attente`),
  reconnect: 'Reconnecter',
  waiting: 'en attente',
  waitingTitle: 'Pas encore confirmée par le serveur',
  // log
  logLabel: 'Main courante',
  entries: (n: number) => (n <= 1 ? `${n} entrée` : `${fmtInt(n, 'fr')} entrées`),
  shown: (n: number) => `${fmtInt(n, 'fr')} affichée${n > 1 ? 's' : ''}`,
  newestBottom: 'Récentes en bas',
  newestTop: 'Récentes en haut',
  filterText: 'Rechercher',
  filterTextPlaceholder: 'texte, source…',
  filterCategory: 'Catégorie',
  filterSeverity: 'Gravité',
  filterAuthor: 'Auteur',
  all: 'Toutes',
  allAuthors: 'Tous',
  clearFilters: 'Effacer les filtres',
  keyOnly: 'Faits clés',
  emptyLog: 'La main courante est vide. Écrivez la première entrée ci-dessous.',
  noMatch: 'Aucune entrée ne correspond aux filtres.',
  quickEntry: 'Nouvelle entrée de main courante',
  quickPlaceholder: 'Tapez et Entrée pour publier — ex. « #alerte !! @DSI ~03:10 Serveurs PACS chiffrés »',
  post: 'Publier',
  source: 'Source',
  sourcePlaceholder: 'qui rapporte',
  eventTime: 'Heure des faits',
  eventTimePlaceholder: 'hh:mm',
  key: 'Fait clé',
  invalidTime: 'Heure invalide (hh:mm)',
  amend: 'Corriger',
  amending: 'Correction de l’entrée',
  cancel: 'Annuler',
  amendedBy: 'Corrigée',
  amendment: 'Correction',
  replaces: 'remplace',
  original: 'Original',
  toTask: 'Créer une tâche',
  taskFromEntry: 'Tâche créée depuis l’entrée',
  recordedAt: 'Écrite à',
  eventAt: 'Faits à',
  by: 'par',
  prefixesHelp: 'Préfixes',
  hintCategory: 'catégorie',
  hintSeverity: 'gravité',
  hintSource: 'source',
  hintTime: 'heure des faits',
  hintKey: 'fait clé',
  hintAmendLast: 'corriger ma dernière entrée',
  // tasks
  tasksLabel: 'Tableau des tâches',
  newTask: 'Nouvelle tâche',
  taskTitle: 'Tâche',
  taskTitlePlaceholder: 'ex. Isoler le VLAN imagerie',
  priority: 'Priorité',
  assignee: 'Responsable',
  assigneePlaceholder: 'nom',
  due: 'Échéance',
  duePlaceholder: 'hh:mm',
  description: 'Détails',
  addTask: 'Ajouter',
  overdue: 'En retard',
  overdueBy: (d: string) => `en retard de ${d}`,
  dueIn: (d: string) => `dans ${d}`,
  unassigned: 'Non attribuée',
  edit: 'Modifier',
  save: 'Enregistrer',
  close: 'Fermer',
  moveTo: 'Déplacer vers',
  moved: (title: string, col: string) => `« ${title} » déplacée vers ${col}`,
  links: 'Liens',
  linkedEntries: 'Entrées liées',
  linkedCount: (n: number) => (n === 1 ? '1 entrée liée' : `${n} entrées liées`),
  linkedDecisions: 'Décisions liées',
  linkEntrySearch: 'Lier une entrée (rechercher)',
  link: 'Lier',
  unlink: 'Retirer',
  noLinks: 'Aucun lien',
  boardKeys: 'Carte sélectionnée : Maj+←/→ change de colonne, Maj+↑/↓ change l’ordre, Entrée modifie',
  emptyColumn: 'Vide',
  // decisions
  decisionsLabel: 'Relevé de décisions',
  newDecision: 'Nouvelle décision',
  decisionTitle: 'Décision',
  decisionTitlePlaceholder: 'ex. Couper l’accès internet du CHU',
  statement: 'Énoncé',
  rationale: 'Motifs',
  decisionStatus: 'Statut',
  record: 'Enregistrer la décision',
  decidedBy: 'Décidée par',
  proposedBy: 'Proposée par',
  approve: 'Approuver',
  reject: 'Rejeter',
  revoke: 'Révoquer',
  supersede: 'Remplacer',
  supersedes: 'Remplace',
  supersededBy: 'Remplacée par',
  note: 'Note',
  notePlaceholder: 'motif du changement (facultatif)',
  history: 'Historique',
  noDecisions: 'Aucune décision enregistrée.',
  // management
  mgmtDecisions: 'Décisions',
  mgmtTasks: 'Tâches ouvertes',
  mgmtOverdue: 'En retard',
  mgmtAlerts: 'Dernières alertes',
  mgmtNoAlerts: 'Aucune alerte',
  mgmtNoTasks: 'Aucune tâche ouverte',
  mgmtReadOnly: 'Lecture seule',
  mgmtUpdated: 'Mis à jour',
  // shortcuts
  shortcuts: 'Raccourcis clavier',
  scViews: 'Changer de vue',
  scQuick: 'Saisie rapide',
  scFilter: 'Rechercher dans la main courante',
  scAdd: 'Ajouter (tâche / décision)',
  scEscape: 'Effacer la saisie / annuler',
  unknownAuthor: '—',
};

export type Dict = typeof fr;

const en: Dict = {
  appTitle: 'Crisis cell',
  language: 'Language',
  switchTo: 'Français',
  switchToLang: 'fr',
  namePrompt: 'Your name',
  nameHelp: 'It signs everything you write (log, tasks, decisions). It stays in this browser.',
  nameSave: 'Continue',
  you: 'You',
  changeName: 'Change name',
  incidents: 'Incidents',
  openIncidents: 'Open',
  closedIncidents: 'Closed',
  noIncidents: 'No incident yet.',
  newIncident: 'New incident',
  incidentTitle: 'Title',
  incidentTitlePlaceholder: 'e.g. Cyberattack — ransomware on the hospital IS',
  detectedAt: 'Detected at',
  severity: 'Severity',
  create: 'Create and open',
  open: 'Open',
  openedAt: 'Opened',
  statusOpen: 'Open',
  statusClosed: 'Closed',
  listOffline: 'Server unreachable: last known list.',
  listLoading: 'Loading…',
  createOffline: 'Cannot create: server unreachable. Try again when the connection is back.',
  createFailed: 'Creation failed',
  management: 'Management view',
  back: 'Incidents',
  viewLog: 'Log',
  viewTasks: 'Tasks',
  viewDecisions: 'Decisions',
  viewManagement: 'Management view',
  presence: 'Connected',
  nobodyElse: 'Nobody else',
  inView: 'in',
  timeZone: 'Time zone',
  loadingIncident: 'Opening the incident…',
  unknownIncident: 'Incident not found on the server.',
  rejected: 'Edit refused by the server',
  elapsed: 'Since detection',
  live: 'Live',
  connecting: 'Connecting…',
  reconnecting: 'Reconnecting…',
  offline: 'Offline',
  waitingEdits: (n: number) => (n === 0 ? 'all saved' : n === 1 ? '1 edit waiting' : `${n} edits waiting`),
  reconnect: 'Reconnect',
  waiting: 'waiting',
  waitingTitle: 'Not yet confirmed by the server',
  logLabel: 'Log',
  entries: (n: number) => (n === 1 ? '1 entry' : `${fmtInt(n, 'en')} entries`),
  shown: (n: number) => `${fmtInt(n, 'en')} shown`,
  newestBottom: 'Newest at bottom',
  newestTop: 'Newest on top',
  filterText: 'Search',
  filterTextPlaceholder: 'text, source…',
  filterCategory: 'Category',
  filterSeverity: 'Severity',
  filterAuthor: 'Author',
  all: 'All',
  allAuthors: 'All',
  clearFilters: 'Clear filters',
  keyOnly: 'Key facts',
  emptyLog: 'The log is empty. Write the first entry below.',
  noMatch: 'No entry matches the filters.',
  quickEntry: 'New log entry',
  quickPlaceholder: 'Type and press Enter to post — e.g. “#alert !! @IT ~03:10 PACS servers encrypted”',
  post: 'Post',
  source: 'Source',
  sourcePlaceholder: 'who reports',
  eventTime: 'Event time',
  eventTimePlaceholder: 'hh:mm',
  key: 'Key fact',
  invalidTime: 'Invalid time (hh:mm)',
  amend: 'Amend',
  amending: 'Amending entry',
  cancel: 'Cancel',
  amendedBy: 'Amended',
  amendment: 'Amendment',
  replaces: 'replaces',
  original: 'Original',
  toTask: 'Create a task',
  taskFromEntry: 'Task created from entry',
  recordedAt: 'Written at',
  eventAt: 'Happened at',
  by: 'by',
  prefixesHelp: 'Prefixes',
  hintCategory: 'category',
  hintSeverity: 'severity',
  hintSource: 'source',
  hintTime: 'event time',
  hintKey: 'key fact',
  hintAmendLast: 'amend my last entry',
  tasksLabel: 'Task board',
  newTask: 'New task',
  taskTitle: 'Task',
  taskTitlePlaceholder: 'e.g. Isolate the imaging VLAN',
  priority: 'Priority',
  assignee: 'Assignee',
  assigneePlaceholder: 'name',
  due: 'Due',
  duePlaceholder: 'hh:mm',
  description: 'Details',
  addTask: 'Add',
  overdue: 'Overdue',
  overdueBy: (d: string) => `overdue by ${d}`,
  dueIn: (d: string) => `in ${d}`,
  unassigned: 'Unassigned',
  edit: 'Edit',
  save: 'Save',
  close: 'Close',
  moveTo: 'Move to',
  moved: (title: string, col: string) => `“${title}” moved to ${col}`,
  links: 'Links',
  linkedEntries: 'Linked entries',
  linkedCount: (n: number) => (n === 1 ? '1 linked entry' : `${n} linked entries`),
  linkedDecisions: 'Linked decisions',
  linkEntrySearch: 'Link an entry (search)',
  link: 'Link',
  unlink: 'Remove',
  noLinks: 'No links',
  boardKeys: 'Selected card: Shift+←/→ changes column, Shift+↑/↓ reorders, Enter edits',
  emptyColumn: 'Empty',
  decisionsLabel: 'Decision record',
  newDecision: 'New decision',
  decisionTitle: 'Decision',
  decisionTitlePlaceholder: 'e.g. Cut the hospital’s internet access',
  statement: 'Statement',
  rationale: 'Rationale',
  decisionStatus: 'Status',
  record: 'Record the decision',
  decidedBy: 'Decided by',
  proposedBy: 'Proposed by',
  approve: 'Approve',
  reject: 'Reject',
  revoke: 'Revoke',
  supersede: 'Supersede',
  supersedes: 'Supersedes',
  supersededBy: 'Superseded by',
  note: 'Note',
  notePlaceholder: 'reason for the change (optional)',
  history: 'History',
  noDecisions: 'No decision recorded.',
  mgmtDecisions: 'Decisions',
  mgmtTasks: 'Open tasks',
  mgmtOverdue: 'Overdue',
  mgmtAlerts: 'Latest alerts',
  mgmtNoAlerts: 'No alert',
  mgmtNoTasks: 'No open task',
  mgmtReadOnly: 'Read only',
  mgmtUpdated: 'Updated',
  shortcuts: 'Keyboard shortcuts',
  scViews: 'Switch view',
  scQuick: 'Quick entry',
  scFilter: 'Search the log',
  scAdd: 'Add (task / decision)',
  scEscape: 'Clear input / cancel',
  unknownAuthor: '—',
};

const ENUMS: Record<Lang, {
  category: Record<LogCategory, string>;
  severity: Record<Severity, string>;
  status: Record<TaskStatus, string>;
  priority: Record<Priority, string>;
  decision: Record<DecisionStatus, string>;
}> = {
  fr: {
    category: { information: 'Information', action: 'Action', decision: 'Décision', alert: 'Alerte', communication: 'Communication' },
    severity: { low: 'Faible', medium: 'Moyenne', high: 'Haute', critical: 'Critique' },
    status: { todo: 'À faire', in_progress: 'En cours', blocked: 'Bloquée', done: 'Faite', cancelled: 'Annulée' },
    priority: { low: 'Basse', normal: 'Normale', high: 'Haute', urgent: 'Urgente' },
    decision: { proposed: 'Proposée', approved: 'Approuvée', rejected: 'Rejetée', superseded: 'Remplacée', revoked: 'Révoquée' },
  },
  en: {
    category: { information: 'Information', action: 'Action', decision: 'Decision', alert: 'Alert', communication: 'Communication' },
    severity: { low: 'Low', medium: 'Medium', high: 'High', critical: 'Critical' },
    status: { todo: 'To do', in_progress: 'In progress', blocked: 'Blocked', done: 'Done', cancelled: 'Cancelled' },
    priority: { low: 'Low', normal: 'Normal', high: 'High', urgent: 'Urgent' },
    decision: { proposed: 'Proposed', approved: 'Approved', rejected: 'Rejected', superseded: 'Superseded', revoked: 'Revoked' },
  },
};

const DICTS: Record<Lang, Dict> = { fr, en };

function fmtInt(n: number, lang: Lang): string {
  return new Intl.NumberFormat(lang === 'fr' ? 'fr-FR' : 'en-GB').format(n);
}

/** The language from the saved choice, else the browser's preferred languages (French or English). */
export function detectLang(saved: string | null, languages: readonly string[]): Lang {
  if (saved === 'fr' || saved === 'en') return saved;
  for (const l of languages) {
    const base = l.toLowerCase().slice(0, 2);
    if (base === 'fr' || base === 'en') return base;
  }
  return 'fr';
}

/** Everything a view needs to speak the user's language: words, enum labels, dates in their zone. */
export class I18n {
  readonly t: Dict;
  readonly enums: (typeof ENUMS)[Lang];
  /** The browser's locale for dates and numbers (e.g. fr-FR, en-US), kept when it matches the language. */
  readonly locale: string;
  readonly timeZone: string;
  private readonly timeFmt: Intl.DateTimeFormat;
  private readonly shortTimeFmt: Intl.DateTimeFormat;
  private readonly dateTimeFmt: Intl.DateTimeFormat;
  private readonly dayFmt: Intl.DateTimeFormat;
  private readonly zoneFmt: Intl.DateTimeFormat;

  constructor(readonly lang: Lang, browserLocales: readonly string[] = []) {
    this.t = DICTS[lang];
    this.enums = ENUMS[lang];
    this.locale = browserLocales.find((l) => l.toLowerCase().startsWith(lang)) ?? (lang === 'fr' ? 'fr-FR' : 'en-GB');
    this.timeZone = Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
    this.timeFmt = new Intl.DateTimeFormat(this.locale, { hour: '2-digit', minute: '2-digit', second: '2-digit' });
    this.shortTimeFmt = new Intl.DateTimeFormat(this.locale, { hour: '2-digit', minute: '2-digit' });
    this.dateTimeFmt = new Intl.DateTimeFormat(this.locale, { day: '2-digit', month: 'short', hour: '2-digit', minute: '2-digit' });
    this.dayFmt = new Intl.DateTimeFormat(this.locale, { weekday: 'short', day: 'numeric', month: 'short' });
    this.zoneFmt = new Intl.DateTimeFormat(this.locale, { timeZoneName: 'shortOffset' });
  }

  /** HH:MM:SS today, or day + HH:MM for another day. */
  time(iso: string | Date, now = new Date()): string {
    const d = typeof iso === 'string' ? new Date(iso) : iso;
    return sameDay(d, now) ? this.timeFmt.format(d) : this.dateTimeFmt.format(d);
  }

  shortTime(iso: string | Date, now = new Date()): string {
    const d = typeof iso === 'string' ? new Date(iso) : iso;
    return sameDay(d, now) ? this.shortTimeFmt.format(d) : this.dateTimeFmt.format(d);
  }

  dateTime(iso: string | Date): string {
    return this.dateTimeFmt.format(typeof iso === 'string' ? new Date(iso) : iso);
  }

  day(d: Date): string {
    return this.dayFmt.format(d);
  }

  /** e.g. "Europe/Paris (UTC+2)". */
  zoneLabel(at = new Date()): string {
    const part = this.zoneFmt.formatToParts(at).find((p) => p.type === 'timeZoneName')?.value ?? '';
    return `${this.timeZone} (${part.replace('GMT', 'UTC') || 'UTC'})`;
  }

  /** A duration as "1 h 05" / "12 min". */
  duration(ms: number): string {
    const minutes = Math.max(0, Math.round(Math.abs(ms) / 60_000));
    if (minutes < 60) return `${minutes} min`;
    const h = Math.floor(minutes / 60);
    const m = minutes % 60;
    if (h < 48) return `${h} h ${String(m).padStart(2, '0')}`;
    const d = Math.floor(h / 24);
    return this.lang === 'fr' ? `${d} j ${h % 24} h` : `${d} d ${h % 24} h`;
  }

  /** Elapsed since a moment, as crisis cells say it: "H+5:32". */
  elapsed(fromIso: string, now: Date): string {
    const minutes = Math.max(0, Math.floor((now.getTime() - Date.parse(fromIso)) / 60_000));
    return `H+${Math.floor(minutes / 60)}:${String(minutes % 60).padStart(2, '0')}`;
  }
}

function sameDay(a: Date, b: Date): boolean {
  return a.getFullYear() === b.getFullYear() && a.getMonth() === b.getMonth() && a.getDate() === b.getDate();
}
