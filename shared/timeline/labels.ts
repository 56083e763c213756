import type { LogCategory, Verification } from '../model/log';
import type { Severity } from '../model/common';
import type { Priority, TaskStatus } from '../model/tasks';
import type { DecisionStatus } from '../model/decisions';
import type { TimelineKind } from './events';
import type { DraftKind } from '../model/regulatory';
import { REGULATORY_WORDS } from '../model/regulatoryLabels';

/**
 * Words of the human-readable exports (Markdown, HTML, PDF) and of the client's timeline view.
 * French: these documents go to French police, regulators (CNIL, ARS) and insurers. Machine
 * formats (JSON, CSV columns) keep the English identifiers. One file to translate.
 */
export const KIND_LABELS: Record<TimelineKind, string> = {
  'incident.opened': 'Ouverture de l’incident',
  'incident.updated': 'Incident modifié',
  'incident.closed': 'Clôture de l’incident',
  'incident.reopened': 'Réouverture de l’incident',
  'log.entry': 'Main courante',
  'log.amendment': 'Rectificatif',
  'log.verification': 'Vérification',
  'task.created': 'Tâche créée',
  'task.assigned': 'Tâche assignée',
  'task.moved': 'Tâche déplacée',
  'task.done': 'Tâche terminée',
  'task.updated': 'Tâche modifiée',
  'decision.proposed': 'Décision proposée',
  'decision.approved': 'Décision approuvée',
  'decision.rejected': 'Décision rejetée',
  'decision.superseded': 'Décision remplacée',
  'decision.revoked': 'Décision révoquée',
  'decision.updated': 'Décision modifiée',
  'regulatory.drafted': 'Notification réglementaire en préparation',
  'regulatory.sent': 'Notification réglementaire envoyée',
  'report.published': 'Point de situation publié',
  'member.joined': 'Arrivée d’un membre',
  'member.role_changed': 'Changement de rôle',
  'member.left': 'Départ d’un membre',
};

export const CATEGORY_LABELS: Record<LogCategory, string> = {
  information: 'Information',
  action: 'Action',
  decision: 'Décision',
  alert: 'Alerte',
  communication: 'Communication',
};

export const SEVERITY_LABELS: Record<Severity, string> = { low: 'faible', medium: 'moyenne', high: 'élevée', critical: 'critique' };

export const VERIFICATION_LABELS: Record<Verification, string> = { to_check: 'à vérifier', being_checked: 'en vérification', confirmed: 'confirmée', refuted: 'infirmée' };

export const TASK_STATUS_LABELS: Record<TaskStatus, string> = { todo: 'à faire', in_progress: 'en cours', blocked: 'bloquée', done: 'terminée', cancelled: 'annulée' };

export const PRIORITY_LABELS: Record<Priority, string> = { low: 'basse', normal: 'normale', high: 'haute', urgent: 'urgente' };

export const DECISION_STATUS_LABELS: Record<DecisionStatus, string> = { proposed: 'proposée', approved: 'approuvée', rejected: 'rejetée', superseded: 'remplacée', revoked: 'révoquée' };

export const EXPORT_LABELS = {
  title: 'Chronologie de l’incident',
  incident: 'Incident',
  range: 'Période',
  producedAt: 'Produit le',
  producedBy: 'Par',
  timeZone: 'Heures en',
  headRef: 'Empreinte du journal',
  heads: 'Têtes de chaîne',
  filters: 'Filtres',
  none: 'aucun',
  events: 'Événements',
  integrityOk: 'Chaîne de hachage vérifiée à la production : intacte',
  integrityBroken: 'ATTENTION — chaîne de hachage rompue',
  serverTime: 'Heure serveur',
  eventTime: 'Heure déclarée',
  author: 'Auteur',
  kind: 'Type',
  description: 'Description',
  record: 'Enregistrement',
  detection: 'Détection',
  opened: 'Ouverture',
  closed: 'Clôture',
  picture: 'Vue d’ensemble',
  legacy: 'Enregistrements antérieurs au chaînage, scellés à la mise à jour',
  endOfDocument: 'Fin du document',
  page: 'Page',
  audience: 'Diffusion',
  anonymised: 'anonymisée — les personnes sont désignées par leur rôle (retour d’expérience)',
  checkHowTo: 'Vérifier une copie : crisis-cell verify <incident> --head <empreinte>',
  /** A log entry its author withdrew within the grace period: kept in the evidence, marked, never shown as an ordinary entry. */
  withdrawn: 'RETIRÉE par son auteur',
} as const;

/** The notifications owed to authorities, as the exports name them (shared/model/regulatoryLabels.ts). */
export const DRAFT_KIND_LABELS: Record<DraftKind, string> = REGULATORY_WORDS.fr.kinds;
