import { afterAll, beforeAll, inject } from "vitest";
import { openDatabase, setDatabase, type Database } from "../../app/utils/db.server";
import { copyTemplate } from "./databases";

/**
 * For domain-level tests without a server: a private copy of the seeded database for
 * this file, installed as the process's database so domain functions use it.
 */
export function useTestDatabase(): { readonly current: Database } {
  const holder: { current: Database } = { current: undefined as unknown as Database };
  let dispose: (() => Promise<void>) | undefined;
  beforeAll(async () => {
    const copy = await copyTemplate(inject("templateDatabaseUrl"));
    dispose = copy.dispose;
    holder.current = await openDatabase(copy.url);
    setDatabase(holder.current);
  });
  afterAll(async () => {
    setDatabase(undefined);
    await holder.current?.close();
    await dispose?.();
  });
  return holder;
}
