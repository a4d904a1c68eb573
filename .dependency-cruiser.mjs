// `make lint` fails on an import cycle, type-only imports included: the step folders depend on each other in
// release order only, so a cycle means a module sits in the wrong folder.
export default {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'Move the shared piece into the earlier step (or a module of its own) so that imports run one way.',
      from: {},
      to: { circular: true }
    }
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' }
  }
}
