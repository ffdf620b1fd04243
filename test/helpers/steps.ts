/**
 * A client scenario as ordered steps that run against any base URL, so one test body serves a
 * single server and a cluster's balancer alike (test/interop/, test/e2e/cluster/).
 */
export interface Step {
  readonly name: string;
  run(): Promise<void>;
}

/** Collects steps: `const { steps, step } = stepList(); step('name', async () => …)`. */
export function stepList(): { steps: Step[]; step: (name: string, run: () => Promise<void>) => void } {
  const steps: Step[] = [];
  return { steps, step: (name, run) => void steps.push({ name, run }) };
}
