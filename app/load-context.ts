/** What the Express server hands every loader and action besides the request. */
export type PortalLoadContext = {
  cspNonce: string;
  clientIp: string;
  /** Set when the server refused a request (403 cross-origin, 415 body type, 500) and asks the app for its error page. */
  errorStatus?: number;
};

declare module "react-router" {
  interface AppLoadContext extends PortalLoadContext {}
}
