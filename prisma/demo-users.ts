/** Demo sign-ins created by the seed; printed at start and listed in the README. */
export const DEMO_PASSWORD = "Demo-Portal-2026";

export const DEMO_USERS = [
  { email: "ap@acme-industrial.example", name: "Pat Morgan", who: "customer · Acme Industrial Supply (USD)" },
  { email: "cxp@distnorte.example", name: "Lucía Hernández", who: "customer · Distribuidora del Norte (MXN, credit hold)" },
  { email: "admin@herramientas-ibericas.example", name: "Javier Ortega", who: "customer · Herramientas Ibéricas (EUR, pending application)" },
  { email: "billing@pacificcoast.example", name: "Sam Lee", who: "customer · Pacific Coast Builders (USD, collections)" },
  { email: "rep1@accounts.example", name: "Alice Turner", who: "Rep I · English" },
  { email: "rep2@accounts.example", name: "Beatriz Ramírez", who: "Rep II · Spanish" },
  { email: "rep3@accounts.example", name: "Carlos Mendoza", who: "Rep III · English + Spanish" },
  { email: "senior@accounts.example", name: "Diana Brooks", who: "Senior Rep · English + Spanish" },
  { email: "manager@accounts.example", name: "Elena Vargas", who: "Manager · English + Spanish" },
] as const;

export const DEMO_USERS_TEXT = [`Demo sign-ins (password for all: ${DEMO_PASSWORD}):`, ...DEMO_USERS.map((u) => `  ${u.email.padEnd(38)} ${u.who}`)].join("\n");
