// autocannon ships no types; the little this benchmark uses.
declare module "autocannon" {
  type Result = { requests: { average: number }; errors: number };
  type Instance = PromiseLike<Result> & { on(event: "response", listener: (client: unknown, status: number, bytes: number, ms: number) => void): void };
  export default function autocannon(options: { url: string; connections: number; duration: number; headers?: Record<string, string> }): Instance;
}
