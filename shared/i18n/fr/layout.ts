import { formatInt } from '../numbers';
import type { LayoutWords } from '../en/layout';

/** Words of the phone, tablet and wall layouts and of the input limits. French: same keys as the English table (a missing or extra key fails tsc). */
export const layout: LayoutWords = {
  filtersShown: (n: number) => (n > 0 ? `Filtres (${n})` : 'Filtres'),
  entryOptions: 'Options de l’entrée',
  showMore: 'Afficher la suite',
  showLess: 'Réduire',
  tooLong: (length: number, max: number) => `Trop long\u202F: ${formatInt(length, 'fr')} caractères pour ${formatInt(max, 'fr')} au plus. Le texte reste ici\u202F: raccourcissez-le ou découpez-le en plusieurs entrées.`,
  charCount: (length: number, max: number) => `${formatInt(length, 'fr')} / ${formatInt(max, 'fr')} caractères`,
  postNeedsText: 'Écrivez le texte de l’entrée',
  postPrefixesOnly: 'Préfixes seulement\u202F: écrivez le texte de l’entrée',
  postTooLong: 'Texte trop long\u202F: raccourcissez-le pour publier',
  moreItems: (n: number) => `+${formatInt(n, 'fr')} de plus`,
  presenceMore: (n: number) => `+${formatInt(n, 'fr')}`,
  morePresent: (n: number) => `${formatInt(n, 'fr')} autre${n > 1 ? 's' : ''} personne${n > 1 ? 's' : ''} présente${n > 1 ? 's' : ''}`,
  roomMenu: 'Actions de la salle',
  fieldTooLong: (length: number, max: number) => `Trop long\u202F: ${formatInt(length, 'fr')} caractères pour ${formatInt(max, 'fr')} au plus. Le texte reste ici\u202F: raccourcissez-le.`,
};
