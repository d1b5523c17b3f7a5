import { PGlite } from "@electric-sql/pglite";
const c = new PGlite("/work/main/.data/e2e/db"); await c.waitReady;
const r = await c.query(`select a.number, count(*) from "Dispute" d join "Account" a on a.id=d."accountId" where d.status in ('OPEN','IN_REVIEW','ESCALATED') group by 1`);
console.log(r.rows);
