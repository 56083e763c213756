import fs from 'node:fs';
import path from 'node:path';
import type { z } from 'zod';

/** What went wrong with one file or folder of a catalog: a code, the file, a sentence. */
export interface CatalogProblem<C extends string> {
  code: C;
  file: string;
  message: string;
}

/** The codes a catalog reports its problems under (e.g. TEMPLATES_DIR_UNREADABLE, TEMPLATE_DUPLICATE, TEMPLATE_INVALID). */
export interface CatalogCodes<C extends string> {
  unreadable: C;
  duplicate: C;
  invalid: C;
  /** How a problem names one entry ("template", "scenario"). */
  noun: string;
}

/**
 * JSON files read once from folders, each checked by a zod schema (incident templates, exercise
 * scenarios). Folders are read in order, so a later folder's file replaces an earlier one's of
 * the same id (an organisation adapts what is shipped). A folder or file that cannot be used is
 * left out with a problem naming its code and file, and never stops the server.
 */
export class JsonFileCatalog<T extends { id: string }, C extends string> {
  readonly byId = new Map<string, T>();
  readonly problems: CatalogProblem<C>[] = [];

  constructor(
    dirs: string[],
    private readonly schema: z.ZodType<T, z.ZodTypeDef, unknown>,
    private readonly codes: CatalogCodes<C>,
  ) {
    for (const dir of dirs) this.loadDir(dir);
  }

  private loadDir(dir: string): void {
    let names: string[];
    try {
      names = fs.readdirSync(dir).filter((n) => n.endsWith('.json')).sort();
    } catch (err) {
      this.problems.push({ code: this.codes.unreadable, file: dir, message: err instanceof Error ? err.message : String(err) });
      return;
    }
    const seen = new Map<string, string>();
    for (const name of names) {
      const file = path.join(dir, name);
      const loaded = this.loadFile(file);
      if (!loaded) continue;
      const twin = seen.get(loaded.id);
      if (twin) {
        this.problems.push({ code: this.codes.duplicate, file, message: `${this.codes.noun} id ${loaded.id} is already used by ${twin}; this file is ignored` });
        continue;
      }
      seen.set(loaded.id, file);
      this.byId.set(loaded.id, loaded);
    }
  }

  private loadFile(file: string): T | null {
    let raw: unknown;
    try {
      raw = JSON.parse(fs.readFileSync(file, 'utf8'));
    } catch (err) {
      this.problems.push({ code: this.codes.invalid, file, message: `not readable JSON: ${err instanceof Error ? err.message : String(err)}` });
      return null;
    }
    const parsed = this.schema.safeParse(raw);
    if (!parsed.success) {
      const why = parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
      this.problems.push({ code: this.codes.invalid, file, message: why });
      return null;
    }
    return parsed.data;
  }
}

/** A folder shipped at the package root (`templates/`, `scenarios/`), found from the sources (server/…) or the build (dist/server/…). */
export function shippedDir(name: string): string {
  let dir = __dirname;
  for (let i = 0; i < 5; i++) {
    const candidate = path.join(dir, name);
    if (fs.existsSync(path.join(dir, 'package.json')) && fs.existsSync(candidate)) return candidate;
    dir = path.dirname(dir);
  }
  return path.resolve(name);
}
