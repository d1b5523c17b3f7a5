/**
 * The seller printed on invoices and receipts: who issues them and where to send money.
 * Kept as policy data (the `seller.profile` PolicySetting, seeded), not in code, so the
 * business changes its address or lockbox without a release.
 */
import { z } from "zod";
import { db } from "../../utils/db.server";

const sellerSchema = z.object({
  name: z.string().min(1),
  address: z.array(z.string()).default([]),
  taxId: z.string().optional(),
  email: z.string().optional(),
  phone: z.string().optional(),
  remitTo: z.array(z.string()).default([]),
});
export type SellerProfile = z.infer<typeof sellerSchema>;

export async function sellerProfile(): Promise<SellerProfile | null> {
  const row = await db().policySetting.findUnique({ where: { key: "seller.profile" } });
  const parsed = sellerSchema.safeParse(row?.value);
  return parsed.success ? parsed.data : null;
}
