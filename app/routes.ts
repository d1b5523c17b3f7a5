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
  route("help", "routes/help.tsx"),
  route("rep/chat", "routes/rep.chat.tsx"),
  route("rep/chat/accounts/:accountId", "routes/rep.chat.account.tsx"),
  route("rep/chat/hours", "routes/rep.chat.hours.tsx"),
  route("webhooks/inbound-email", "routes/webhooks.inbound-email.tsx"),
  route("*", "routes/not-found.tsx"),
] satisfies RouteConfig;
