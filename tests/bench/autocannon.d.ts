// autocannon ships no types; the little the benchmarks use.
declare module "autocannon" {
  type Result = { requests: { average: number; total: number }; errors: number; non2xx: number };
  type Instance = PromiseLike<Result> & { on(event: "response", listener: (client: unknown, status: number, bytes: number, ms: number) => void): void };
  type Request = {
    method?: string;
    setupRequest?: (req: { path: string }) => { path: string; method?: string; body?: string; headers?: Record<string, string> };
  };
  export default function autocannon(options: {
    url: string;
    connections: number;
    duration?: number;
    amount?: number;
    timeout?: number;
    headers?: Record<string, string>;
    requests?: Request[];
  }): Instance;
}
