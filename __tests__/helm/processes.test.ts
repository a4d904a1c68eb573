import { describe, expect, jest, test } from '@jest/globals'
import { once } from 'node:events'
import { readFile } from 'node:fs/promises'
import { savedGroups, signalGroup, spawnHelm, stopGroups } from '../../src/helm/processes.js'

describe('savedGroups', () => {
  test.each([
    ['', []],
    ['4242', [4242]],
    ['4242 17', [4242, 17]],
    ['0 -1 x 12', [12]]
  ])('%j → %j', (text, groups) => {
    expect(savedGroups(text)).toEqual(groups)
  })
})

/** Whether a process is alive and not a zombie waiting to be reaped. */
async function running(pid: number): Promise<boolean> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => '')
  return stat !== '' && stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z'
}

describe('spawnHelm and stopGroups', () => {
  test('a spawned command leads its own group, and stopping the group ends what it started too', async () => {
    // A stand-in for helm that starts a child of its own (as helm starts plugins and credential helpers).
    const child = spawnHelm('/bin/sh', ['-c', 'sleep 30 & echo $!; wait'], { PATH: '/usr/bin:/bin' })
    const [line] = (await once(child.stdout, 'data')) as [Buffer]
    const grandchild = Number(line.toString().trim())
    expect(signalGroup(child.pid!, 0)).toBe(true)
    const exited = once(child, 'exit')
    await stopGroups([child.pid!])
    await exited
    expect(signalGroup(child.pid!, 0)).toBe(false)
    expect(await running(grandchild)).toBe(false)
  })
})

describe('stopRunningHelm', () => {
  test('stops what runs and refuses what the run starts after it', async () => {
    // Stopping is for good, as it is for the step: a copy of the module of its own keeps the other tests' copy
    // able to start helm, whatever order they run in.
    let processes!: typeof import('../../src/helm/processes.js')
    await jest.isolateModulesAsync(async () => {
      processes = await import('../../src/helm/processes.js')
    })
    const child = processes.spawnHelm('/bin/sleep', ['30'], {})
    const exited = once(child, 'exit')
    await processes.stopRunningHelm()
    await exited
    expect(processes.signalGroup(child.pid!, 0)).toBe(false)
    expect(() => processes.spawnHelm('/bin/sleep', ['30'], {})).toThrow('helm 30 was not started: the step is stopping')
    // The copy the rest of the file uses was not stopped.
    const other = spawnHelm('/bin/true', [], {})
    const [code] = (await once(other, 'exit')) as [number]
    expect(code).toBe(0)
  })
})
