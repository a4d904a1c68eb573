// Only when e2e tests run: the bundle of today's src/ they run (see bundle.js), in the run's root.
import { rm } from 'node:fs/promises'
import path from 'node:path'
import { BUNDLE, buildBundle } from './bundle.js'
import { testRoot } from './test-root.js'

export default async function e2eSetup() {
  const root = await testRoot()
  const started = Date.now()
  try {
    process.env[BUNDLE] = await buildBundle(path.join(root, 'bundle'))
  } catch (error) {
    // A failed global setup ends the run without the global teardown.
    await rm(root, { recursive: true, force: true })
    throw error
  }
  console.log(`\nBundled src/ for the e2e tests in ${((Date.now() - started) / 1000).toFixed(1)} s.`)
}
