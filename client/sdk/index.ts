export { CrisisClient } from './crisisClient';
export type { ConnectionStatus, CrisisClientOptions, SessionEnd } from './crisisClient';
export { IncidentSession } from './incidentSession';
export type { Presence } from './incidentSession';
export { DocSync, SERVER_ORIGIN } from './docSync';
