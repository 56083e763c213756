/** The one document of the floor relay (bench/lib/floorServer.ts): any valid name does. */
export const FLOOR_DOC = 'floorfloorfloor1:decisions';
