/** Run one `almanac` invocation in this process (the same command code as bin/almanac.js), its lines collected. */
import { runCli } from '../../src/cli/dispatch.js';

export async function almanacInProcess(
  argv: readonly string[],
  stdin = '',
): Promise<{ code: number; out: string[]; err: string[] }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(argv, {
    env: {},
    out: (l) => out.push(l),
    err: (l) => err.push(l),
    readStdin: () => Promise.resolve(stdin),
  });
  return { code, out, err };
}
