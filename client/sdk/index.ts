/** The SDK's public entry (README, "Your own client"): `client/sdk` for Node and browsers. */
export { CrisisClient } from './crisisClient';
export type { ConnectionStatus, CrisisClientOptions, SessionEnd } from './crisisClient';
export { IncidentSession } from './incidentSession';
export type { Presence, RejectedEdit } from './incidentSession';
export { DocSync, SERVER_ORIGIN } from './docSync';
export type { Refusal } from './docSync';
export type { Change } from './rebase';
