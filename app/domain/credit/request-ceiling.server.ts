import { db } from "../../utils/db.server";
import { requestCeilingFrom, type RequestCeilingPolicy } from "./request-ceiling";

export async function loadRequestCeiling(): Promise<RequestCeilingPolicy> {
  const row = await db().policySetting.findUnique({ where: { key: "credit.requestCeiling" } });
  return requestCeilingFrom(row?.value);
}
