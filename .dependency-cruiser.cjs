// Import boundaries between Parley's packages and between the layers inside them, checked by
// `npm run lint:deps` (part of `npm test`). docs/architecture.md, "Enforced boundaries", says why
// each rule exists; change the two together.
//
// Type-only imports count (tsPreCompilationDeps): a layer that needs another's types is coupled
// to it as much as one that calls it.

/** Server folders whose code the media plane must not reach into. */
const serverAboveMedia = ['signalling', 'conversation', 'presence', 'session', 'recording'];

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'protocol-is-a-leaf',
      comment: 'packages/protocol is the wire contract both ends share: it imports neither the server nor the SDK (nor the demo app).',
      severity: 'error',
      from: { path: '^packages/protocol/' },
      to: { path: '^(packages/(server|sdk)|apps)/' },
    },
    {
      name: 'sdk-not-server',
      comment: 'The browser SDK talks to the server only over the protocol; it never imports server code.',
      severity: 'error',
      from: { path: '^packages/sdk/' },
      to: { path: '^packages/server/' },
    },
    {
      name: 'server-not-sdk',
      comment: 'The server never imports SDK code; shared shapes live in packages/protocol.',
      severity: 'error',
      from: { path: '^packages/server/' },
      to: { path: '^packages/sdk/' },
    },
    {
      name: 'sdk-engine-media-not-api',
      comment:
        'SDK layers call downwards only: api/ (the apiRTC facade) uses engine/, media/ and quality/, which report back through typed events and never import the facade.',
      severity: 'error',
      from: { path: '^packages/sdk/src/(engine|media|quality)/' },
      to: { path: '^packages/sdk/src/api/' },
    },
    {
      name: 'sdk-media-not-engine',
      comment: 'SDK media helpers (peer connections, devices, stats, speaker detection) know nothing of signalling state; the facade wires the two.',
      severity: 'error',
      from: { path: '^packages/sdk/src/(media|quality)/' },
      to: { path: '^packages/sdk/src/engine/' },
    },
    {
      name: 'sdk-core-loads-processors-lazily',
      comment:
        'The processors module (packages/sdk/src/processors/lazy/) is a separate bundle loaded by URL on first use; a value import from the core would pull it (and its npm packages) into parley.js. Types only.',
      severity: 'error',
      from: { path: '^packages/sdk/src/', pathNot: '^packages/sdk/src/processors/lazy/' },
      to: { path: '^(packages/sdk/src/processors/lazy/|node_modules/(@sapphi-red|@mediapipe)/)', dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'sdk-processors-module-is-a-leaf',
      comment:
        'The processors module is a separate bundle: a value import of the facade or the engine would put a second copy of them into it (other classes, other symbols). It gets what it needs of the core through the ProcessorHost the Stream hands it; types only.',
      severity: 'error',
      from: { path: '^packages/sdk/src/processors/lazy/' },
      to: { path: '^packages/sdk/src/(api|engine|media)/', dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'server-media-is-below-sessions',
      comment:
        'The SFU media plane (rooms, peers, transports, RTP) is driven by conversations and knows nothing of signalling, conversations, presence or sessions.',
      severity: 'error',
      from: { path: '^packages/server/src/media/' },
      to: { path: `^packages/server/src/(${serverAboveMedia.join('|')})/` },
    },
    {
      name: 'server-conversation-not-signalling',
      comment:
        'Conversations are domain logic: signalling (connections, routing) calls them, never the other way round, so they can be driven and tested without a socket.',
      severity: 'error',
      from: { path: '^packages/server/src/conversation/' },
      to: { path: '^packages/server/src/signalling/' },
    },
    {
      name: 'meet-uses-served-sdk',
      comment: 'The demo app is an ordinary apiRTC app: it loads the SDK the server serves (/sdk/parley.js) and imports no code from packages/.',
      severity: 'error',
      from: { path: '^apps/meet/' },
      to: { path: '^packages/', dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'meet-types-from-sdk-entry',
      comment:
        "The demo app's types are the SDK's public declarations (apps/meet/src/apirtc.d.ts), so it cannot drift from the SDK: type-only imports of the SDK's public entry, nothing else.",
      severity: 'error',
      from: { path: '^apps/meet/' },
      to: { path: '^packages/', pathNot: '^packages/sdk/src/index\\.ts$' },
    },
    {
      name: 'react-example-uses-sdk-package',
      comment:
        "The React example is an outside app: it imports the SDK only as the package '@apirtc/apirtc' (the SDK's public entry), never a module inside it.",
      severity: 'error',
      from: { path: '^apps/react-example/' },
      to: { path: '^packages/', pathNot: '^packages/sdk/src/index\\.ts$' },
    },
    {
      name: 'no-runtime-cycles',
      comment:
        'No cycle of value imports inside a package: module initialisation order would decide what is undefined. Cycles that pass through a type-only import are erased at compile time and allowed (the SDK facade classes name each other).',
      severity: 'error',
      from: { path: '^(packages|apps)/' },
      to: { circular: true, viaOnly: { dependencyTypesNot: ['type-only'] } },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^|/)(dist|node_modules)/' },
    tsPreCompilationDeps: true,
    // Workspace packages are symlinked into node_modules; resolve them to their real path (and to
    // their TypeScript sources through the `source` export condition) so rules see packages/….
    preserveSymlinks: false,
    tsConfig: { fileName: 'tsconfig.base.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['source', 'import', 'types', 'default'],
      mainFields: ['module', 'main', 'types'],
    },
    skipAnalysisNotInRules: true,
  },
};
