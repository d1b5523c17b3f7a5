/** Shared by the reset form (browser) and password hashing (server). */
export const MIN_PASSWORD_LENGTH = 10;
