import { z } from "zod";
import { isGuessablePassword, MIN_PASSWORD_LENGTH } from "./password-rules";
import { SUPPORTED_LANGUAGES } from "../../i18n/config";

export const signInSchema = z.object({
  email: z.string().trim().min(1, "auth:errors.emailRequired").max(254, "auth:errors.emailInvalid").pipe(z.email("auth:errors.emailInvalid")),
  password: z.string().min(1, "auth:errors.passwordRequired").max(200, "auth:errors.passwordTooLong"),
  redirectTo: z.string().optional(),
  // The language just picked on the sign-in page; an unknown one is no choice at all, not an error.
  language: z.enum(SUPPORTED_LANGUAGES).optional().catch(undefined),
});

export const forgotPasswordSchema = z.object({
  email: z.string().trim().min(1, "auth:errors.emailRequired").max(254, "auth:errors.emailInvalid").pipe(z.email("auth:errors.emailInvalid")),
});

export const resetPasswordSchema = z
  .object({
    token: z.string().min(20, "auth:errors.invalidToken").max(100, "auth:errors.invalidToken"),
    password: z
      .string()
      .min(MIN_PASSWORD_LENGTH, "auth:errors.passwordTooShort")
      .max(200, "auth:errors.passwordTooLong")
      .refine((password) => !isGuessablePassword(password), "auth:errors.passwordGuessable"),
    confirm: z.string(),
  })
  .refine((v) => v.password === v.confirm, { path: ["confirm"], message: "auth:errors.passwordsDiffer" });
