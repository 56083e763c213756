import type { ClockId } from '../timeline/deadlines';
import type { ContentField, DraftKind } from './regulatory';

/**
 * Words of the regulatory drafts, in French (what authorities receive: exports, log entries)
 * and English (the client's other language). One place, so the client's form and the exported
 * document name each field the same way.
 */
export interface RegulatoryWords {
  kinds: Record<DraftKind, string>;
  fields: Record<ContentField | 'complements', string>;
  /** A line of help under a field: what the authority expects there. */
  hints: Partial<Record<ContentField, string>>;
  clocks: Record<ClockId, string>;
}

export const REGULATORY_WORDS: Record<'fr' | 'en', RegulatoryWords> = {
  fr: {
    kinds: {
      cnil_initial: 'Notification CNIL initiale',
      cnil_complementary: 'Notification CNIL complémentaire',
      health_incident: 'Déclaration d’incident de sécurité des SI de santé (ARS / CERT Santé)',
      nis2_early_warning: 'NIS2 — alerte précoce',
      nis2_notification: 'NIS2 — notification d’incident',
      nis2_final: 'NIS2 — rapport final',
    },
    fields: {
      organisation: 'Organisme / établissement',
      declarant: 'Déclarant (nom, fonction, coordonnées)',
      dpoName: 'Nom du délégué à la protection des données (DPO)',
      dpoContact: 'Coordonnées du DPO',
      description: 'Nature de la violation / description de l’incident',
      dataCategories: 'Catégories de données concernées',
      peopleCategories: 'Catégories de personnes concernées',
      peopleCount: 'Nombre approximatif de personnes concernées',
      recordsCount: 'Nombre approximatif d’enregistrements concernés',
      consequences: 'Conséquences probables',
      measures: 'Mesures prises ou envisagées (y compris pour atténuer les effets)',
      delayReason: 'Motifs du retard (notification après 72 h)',
      foundAt: 'Date et circonstances de la découverte',
      scope: 'Périmètre touché',
      systemsAffected: 'Systèmes touchés',
      dataAffected: 'Données touchées',
      careImpact: 'Impact (notamment sur la prise en charge des patients)',
      causes: 'Causes (si connues)',
      handlingStatus: 'État de la prise en charge',
      suspectedMalicious: 'Acte illicite ou malveillant suspecté ?',
      crossBorderImpact: 'Impact transfrontière ?',
      severityImpact: 'Évaluation initiale : gravité et impact',
      indicators: 'Indicateurs de compromission (si disponibles)',
      threatType: 'Type de menace ou cause profonde',
      complements: 'Notification initiale complétée',
    },
    hints: {
      description: 'Ce qui s’est passé, quand, comment (perte de confidentialité, d’intégrité, de disponibilité).',
      peopleCount: 'Une approximation suffit (« environ 12 000 »).',
      measures: 'Mesures déjà prises et envisagées, y compris pour atténuer les conséquences pour les personnes.',
      delayReason: 'Obligatoire si la notification intervient plus de 72 heures après la prise de connaissance.',
    },
    clocks: {
      'cnil-72h': 'CNIL — 72 h',
      'nis2-24h': 'NIS2 — alerte précoce 24 h',
      'nis2-72h': 'NIS2 — notification 72 h',
      'nis2-final': 'NIS2 — rapport final 1 mois',
      health: 'ARS / CERT Santé — sans délai',
    },
  },
  en: {
    kinds: {
      cnil_initial: 'CNIL initial notification',
      cnil_complementary: 'CNIL complementary notification',
      health_incident: 'Health IS security incident report (ARS / CERT Santé)',
      nis2_early_warning: 'NIS2 — early warning',
      nis2_notification: 'NIS2 — incident notification',
      nis2_final: 'NIS2 — final report',
    },
    fields: {
      organisation: 'Organisation / establishment',
      declarant: 'Declarant (name, role, contact)',
      dpoName: 'Name of the data protection officer (DPO)',
      dpoContact: 'DPO contact details',
      description: 'Nature of the breach / description of the incident',
      dataCategories: 'Categories of data concerned',
      peopleCategories: 'Categories of people concerned',
      peopleCount: 'Approximate number of people concerned',
      recordsCount: 'Approximate number of records concerned',
      consequences: 'Likely consequences',
      measures: 'Measures taken or proposed (including to mitigate)',
      delayReason: 'Reasons for the delay (notified after 72 h)',
      foundAt: 'When and how it was found',
      scope: 'Scope affected',
      systemsAffected: 'Systems affected',
      dataAffected: 'Data affected',
      careImpact: 'Impact (on patient care in particular)',
      causes: 'Causes (if known)',
      handlingStatus: 'Handling status',
      suspectedMalicious: 'Unlawful or malicious act suspected?',
      crossBorderImpact: 'Cross-border impact?',
      severityImpact: 'Initial assessment: severity and impact',
      indicators: 'Indicators of compromise (where available)',
      threatType: 'Type of threat or root cause',
      complements: 'Initial notification completed',
    },
    hints: {
      description: 'What happened, when, how (loss of confidentiality, integrity, availability).',
      peopleCount: 'An approximation is enough ("about 12,000").',
      measures: 'Measures taken and planned, including to mitigate the consequences for the people concerned.',
      delayReason: 'Required when notifying more than 72 hours after becoming aware.',
    },
    clocks: {
      'cnil-72h': 'CNIL — 72 h',
      'nis2-24h': 'NIS2 — early warning 24 h',
      'nis2-72h': 'NIS2 — notification 72 h',
      'nis2-final': 'NIS2 — final report 1 month',
      health: 'ARS / CERT Santé — without delay',
    },
  },
};
