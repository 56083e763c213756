import type { Container } from './containers';

/** What an inserted item carries, reduced to what a policy needs to judge it. */
export type InsertedContent =
  | { kind: 'values'; values: unknown[] }
  | { kind: 'type'; type: 'map' | 'array' | 'text' | 'other' }
  | { kind: 'string'; length: number }
  | { kind: 'deleted' }
  | { kind: 'other'; name: string };

/**
 * The shape rules of one document part. Each returns null when allowed, or a sentence that
 * says why not; the guard turns that into UPDATE_INVALID_CONTENT / UPDATE_FORBIDDEN_DELETE.
 */
export interface PartPolicy {
  checkInsert(container: Container, key: string | null, content: InsertedContent): string | null;
  checkDelete(container: Container, key: string | null): string | null;
}
