import type { SessionUser } from "../auth/session-user";
import { db } from "../../utils/db.server";
import { dashboardTables, type DashboardTable } from "./dashboard-tables";
import { teamObjectives } from "./objectives.server";
import type { Period } from "./period";
import { teamFigures, type TeamFigures } from "./team-figures.server";

/** Managers and seniors see the whole team and any rep; every other rep sees their own figures only. */
export function seesTeam(user: Pick<SessionUser, "role" | "staffLevel">): boolean {
  return user.role === "MANAGER" || user.staffLevel === "SENIOR" || user.staffLevel === "MANAGER";
}

export type DashboardView =
  | { ok: true; figures: TeamFigures; tables: DashboardTable[]; repId: string | null; reps: { id: string; name: string }[]; seesTeam: boolean }
  | { ok: false; reason: "forbidden" | "unknown_rep" };

/**
 * The dashboard one person may see: `requestedRepId` narrows it to one rep (a manager or
 * senior choosing), and a rep without team sight is always narrowed to themselves — asking
 * for anyone else is refused rather than quietly answered with their own figures.
 */
export async function dashboardFor(user: SessionUser, period: Period, requestedRepId: string | null): Promise<DashboardView> {
  const team = seesTeam(user);
  if (!team && requestedRepId && requestedRepId !== user.id) return { ok: false, reason: "forbidden" };
  const reps = team ? await db().user.findMany({ where: { role: "REP", active: true }, orderBy: { name: "asc" }, select: { id: true, name: true } }) : [];
  if (team && requestedRepId && !reps.some((r) => r.id === requestedRepId)) return { ok: false, reason: "unknown_rep" };
  const repId = team ? requestedRepId : user.id;
  const figures = await teamFigures(period, { repIds: repId ? [repId] : null }, await teamObjectives());
  return { ok: true, figures, tables: dashboardTables(figures), repId, reps, seesTeam: team };
}
