/**
 * The layers, checked by `npm run depcruise` inside `npm test` (docs/ARCHITECTURE.md, "Folders").
 * Each rule says which imports would break a layer; test/guardrails/ proves each one bites.
 *
 * Folder cycles of server/ (auth → policy → auth made of different files) are checked on the same
 * cruise by scripts/lint/folderCycles.mjs, the second half of `npm run depcruise`.
 */

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'shared-is-neutral',
      comment: 'shared/ is read by the server and the browser: it imports neither.',
      severity: 'error',
      from: { path: '^shared/' },
      to: { path: '^(server|client)/' },
    },
    {
      name: 'client-not-server',
      comment: 'The client (SDK and browser) never imports server code.',
      severity: 'error',
      from: { path: '^client/' },
      to: { path: '^server/' },
    },
    {
      name: 'storage-fanout-below-the-rooms',
      comment: 'Storage and fan-out know nothing of the transport, the rooms or the accounts.',
      severity: 'error',
      from: { path: '^server/(storage|fanout)/' },
      to: { path: '^server/(transport|documents|auth)/' },
    },
    {
      name: 'no-web-framework-below-transport',
      comment: 'socket.io and express are the transport\'s: the rooms, storage, fan-out and shared/ know neither.',
      severity: 'error',
      from: { path: '^(server/(documents|storage|fanout)|shared)/' },
      to: { path: '(^|/)node_modules/(socket[.]io|express)/' },
    },
    {
      name: 'documents-not-transport',
      comment: 'The rooms know no socket.io and no HTTP.',
      severity: 'error',
      from: { path: '^server/documents/' },
      to: { path: '^server/transport/' },
    },
    {
      name: 'auth-not-policy-or-audit',
      comment: 'Accounts and sessions do not build or call the per-incident policy or the audit trail: the composition root wires them.',
      severity: 'error',
      from: { path: '^server/auth/' },
      to: { path: '^server/(policy|audit)/' },
    },
    {
      name: 'no-circular',
      comment: 'No file-level import cycle anywhere (folder-level cycles of server/: scripts/lint/folderCycles.mjs).',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(dist|data)/|^test/guardrails/fixtures/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: require('node:path').join(__dirname, 'tsconfig.json') },
  },
};
