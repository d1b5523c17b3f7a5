/**
 * Options for a transaction that claims a row others may be claiming at the same time.
 * On PGlite (one connection) transactions run one after another, so N requests that
 * arrive together each wait for all those before them; Prisma's default 2 s to start a
 * transaction turns that queue into 500s on a busy machine. The losers must get to run
 * their claim, find it taken, and answer "already done".
 */
export const CLAIM_TRANSACTION = { maxWait: 20_000, timeout: 30_000 } as const;
