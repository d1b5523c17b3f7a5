import { createContext, useContext } from "react";

/** The per-request CSP nonce, handed from entry.server to the scripts root renders. */
export const NonceContext = createContext<string>("");
export const useNonce = () => useContext(NonceContext);
