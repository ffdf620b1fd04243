/**
 * The node flags Almanac's server is run with wherever we start it (`npm start`,
 * deploy/almanac.service, deploy/Containerfile; test/cli/serve-node-flags.test.ts holds them
 * together), so the bench's single node and its cluster measure what is shipped: a young
 * generation of 2 × 8 MB instead of V8's 2 × 16 MB, which with `--heap-growth`'s default keeps
 * the peak RSS at 100,000 objects under 300 MB (src/cli/ops-args.ts).
 */
export const SERVE_NODE_FLAGS: readonly string[] = ['--max-semi-space-size=8'];
