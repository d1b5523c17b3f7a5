/** The contact log's codes, shared by the server's validation and the forms. */
export const CONTACT_CHANNELS = ["PHONE", "EMAIL", "CHAT", "LETTER", "FAX"] as const;
export const CONTACT_OUTCOMES = ["PROMISE", "DISPUTE", "LEFT_MESSAGE", "WRONG_CONTACT", "REFUSED", "PAID"] as const;
