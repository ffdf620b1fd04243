/**
 * A recorded client session: the requests a real client sends (headers and bodies as the client
 * writes them), each with what the answer must hold. `{{name}}` in a path or body is replaced by
 * a value captured from an earlier answer.
 */
export interface ReplayStep {
  readonly note: string;
  readonly method: string;
  readonly path: string;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: string;
  readonly status: number;
  /** Strings (or patterns) the response body must contain. */
  readonly contains?: readonly (string | RegExp)[];
  /** Capture group 1 of each pattern, kept under its name. */
  readonly capture?: Readonly<Record<string, RegExp>>;
}

export const PROPFIND_XML = { 'Content-Type': 'application/xml; charset=utf-8' };

export async function replay(base: string, auth: string, steps: readonly ReplayStep[]): Promise<void> {
  const vars = new Map<string, string>();
  const fill = (s: string): string =>
    s.replace(/\{\{(\w+)\}\}/g, (_m, k: string) => {
      const v = vars.get(k);
      if (v === undefined) throw new Error(`replay: nothing captured as ${k}`);
      return v;
    });
  for (const step of steps) {
    const res = await fetch(new URL(fill(step.path), base), {
      method: step.method,
      redirect: 'manual',
      headers: {
        Authorization: auth,
        ...Object.fromEntries(Object.entries(step.headers ?? {}).map(([k, v]) => [k, fill(v)])),
      },
      ...(step.body !== undefined ? { body: fill(step.body) } : {}),
    });
    const text = await res.text();
    if (res.status !== step.status)
      throw new Error(
        `${step.note}: ${step.method} ${step.path} → ${res.status}, expected ${step.status} (captured ${JSON.stringify([...vars])})\n${text.slice(0, 1500)}`,
      );
    for (const c of step.contains ?? []) {
      const ok = typeof c === 'string' ? text.includes(c) : c.test(text);
      if (!ok) throw new Error(`${step.note}: answer lacks ${String(c)}\n${text.slice(0, 3000)}`);
    }
    for (const [name, re] of Object.entries(step.capture ?? {})) {
      const m = re.exec(text) ?? re.exec(res.headers.get('etag') ?? '');
      if (!m?.[1]) throw new Error(`${step.note}: cannot capture ${name} with ${String(re)}\n${text.slice(0, 1500)}`);
      vars.set(name, m[1]);
    }
  }
}
