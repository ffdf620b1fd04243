/**
 * DAV:responses handed to a multistatus (multistatus.ts) in runs. Each hand-over from an async
 * generator costs a few promises, and while async hooks are on (AsyncLocalStorage:
 * domain/cooperative.ts) every promise costs its hooks too: a month's calendar-query of 130
 * responses made about 1,100 promises (issue #20). A response already at hand (a kept member
 * fragment, a property set read synchronously) joins the current run; a response that has to be
 * waited for ends the run, which is handed over before the wait, so nothing computed sits
 * unwritten while the answer waits.
 */
import type { XmlNode } from '../../xml/element.js';
import type { MaybePromise } from './properties.js';

/** Most responses in one run: memory held between two hand-overs stays bounded. */
const MAX_RUN = 256;

/** The responses of `nodes` (pulled one at a time, so each is made only when its turn comes) in runs. */
export async function* inRuns(nodes: Iterable<MaybePromise<XmlNode>>): AsyncGenerator<readonly XmlNode[]> {
  let run: XmlNode[] = [];
  for (const node of nodes) {
    if (node instanceof Promise) {
      if (run.length > 0) {
        yield run;
        run = [];
      }
      run.push(await node);
    } else run.push(node);
    if (run.length >= MAX_RUN) {
      yield run;
      run = [];
    }
  }
  if (run.length > 0) yield run;
}
