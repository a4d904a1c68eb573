import { getState } from '@actions/core'
import { run } from './main.js'
import { post, STATE } from './post.js'

// One bundle serves both steps of action.yml; the main step leaves isPost behind for the post step.
await (getState(STATE.isPost) ? post() : run())
