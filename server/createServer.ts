/** The server's entry for callers (main.ts, tests): the composition root lives in server/app/. */
export { startServer, type RunningServer, type ServerOverrides } from './app/startServer';
