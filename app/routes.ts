import { type RouteConfig, index, route } from "@react-router/dev/routes";

export default [
  index("routes/home.tsx"),
  route("login", "routes/login.tsx"),
  route("logout", "routes/logout.tsx"),
  route("forgot-password", "routes/forgot-password.tsx"),
  route("reset-password", "routes/reset-password.tsx"),
  route("set-language", "routes/set-language.tsx"),
  route("account", "routes/account.tsx"),
  route("rep", "routes/rep.tsx"),
  route("rep/accounts/:accountId", "routes/rep.account.tsx"),
  route("outbox", "routes/outbox.tsx"),
  route("invoices", "routes/invoices.tsx"),
  route("invoices/:invoiceId", "routes/invoices.detail.tsx"),
  route("pay", "routes/pay.tsx"),
  route("payments/:paymentId", "routes/payments.detail.tsx"),
  route("sandbox/stripe/checkout/:sessionId", "routes/sandbox.stripe.checkout.tsx"),
  route("webhooks/stripe", "routes/webhooks.stripe.ts"),
  route("*", "routes/not-found.tsx"),
] satisfies RouteConfig;
