import { STATE, stateOf } from './state.js'

// One bundle serves both steps of action.yml; the main step leaves isPost behind for the post step. The post
// step loads the rest of the bundle (one chunk, shared with the main step) only when the main step left
// something to clean up (a helm home, helm still running), which it does only when it was killed; otherwise it
// costs no more than starting Node.
if (!stateOf(STATE.isPost)) await (await import('./main.js')).run()
else if (stateOf(STATE.helmHome) || stateOf(STATE.helmGroups)) await (await import('./main.js')).post()
