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
  route("credit", "routes/credit.tsx"),
  route("credit/apply", "routes/credit.apply.tsx"),
  route("credit/documents/:documentId", "routes/credit.document.tsx"),
  route("rep/credit", "routes/rep.credit.tsx"),
  route("rep/credit/applications/:id", "routes/rep.credit.application.tsx"),
  route("rep/credit/held-orders", "routes/rep.credit.held-orders.tsx"),
  route("rep/credit/accounts/:accountId", "routes/rep.credit.account.tsx"),
  route("*", "routes/not-found.tsx"),
] satisfies RouteConfig;
