/** What the Express server hands every loader and action besides the request. */
export type PortalLoadContext = {
  cspNonce: string;
  clientIp: string;
};

declare module "react-router" {
  interface AppLoadContext extends PortalLoadContext {}
}
