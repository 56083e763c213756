import { DOC_PARTS, DocNameSchema, parseDocName, servedPartNames } from '../../shared/model/parts';
import { partModule, registerPart, registeredParts } from '../../server/parts/registry';
import type { PartModule } from '../../server/parts/partModule';
import { tasksPart } from '../../server/parts/tasks';

const INCIDENT = 'incident00000001';

/** A part that holds nothing: enough to register. */
function emptyPart(name: string): PartModule {
  return { ...tasksPart, name, roots: [{ name, kind: 'map' }] };
}

describe('the part registry', () => {
  test('serves the known parts in journal head order, each with its module', () => {
    expect(registeredParts().map((p) => p.name)).toEqual([...DOC_PARTS]);
    expect(servedPartNames()).toEqual([...DOC_PARTS]);
    for (const part of DOC_PARTS) expect(partModule(part).name).toBe(part);
    expect(registeredParts().filter((p) => p.seals).map((p) => p.name)).toEqual(['decisions', 'reports', 'regulatory']);
  });

  test('a part not registered is no part: its document names do not parse, nor has it a module', () => {
    expect(DocNameSchema.safeParse(`${INCIDENT}:extra`).success).toBe(false);
    expect(() => parseDocName(`${INCIDENT}:extra` as never)).toThrow();
    expect(() => partModule('extra')).toThrow(/not registered/);
  });

  test('a registered part comes after every part before it, and its document names parse', () => {
    registerPart(emptyPart('extra'));
    registerPart(emptyPart('another'));
    expect(registeredParts().map((p) => p.name)).toEqual([...DOC_PARTS, 'extra', 'another']);
    expect(parseDocName(DocNameSchema.parse(`${INCIDENT}:extra`))).toEqual({ incidentId: INCIDENT, part: 'extra' });
  });

  test('a name is registered once, and must be a part name', () => {
    expect(() => registerPart(emptyPart('log'))).toThrow(/already registered/);
    expect(() => registerPart(emptyPart('Not a name'))).toThrow(/lower camel case/);
    expect(() => registerPart(emptyPart('a'.repeat(30)))).toThrow(/lower camel case/);
    expect(registeredParts()).toHaveLength(DOC_PARTS.length + 2);
  });
});
