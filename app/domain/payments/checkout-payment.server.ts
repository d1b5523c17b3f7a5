import { db } from "../../utils/db.server";

/** The payment a checkout session was opened for, if it is this account's. */
export function paymentOfCheckoutSession(accountId: string, checkoutSessionId: string) {
  return db().payment.findFirst({ where: { checkoutSessionId, accountId } });
}
