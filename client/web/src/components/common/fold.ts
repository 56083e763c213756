/** Text folded for searching: accents removed, lower case ("Évacuation" finds "evacuation"). */
export function fold(s: string): string {
  return s.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase();
}
