import type { TestProject } from "vitest/node";
import { createTemplate, dropTemplate, testTarget } from "./databases";

declare module "vitest" {
  export interface ProvidedContext {
    templateDatabaseUrl: string;
  }
}

export default async function setup(project: TestProject) {
  const target = testTarget();
  const started = Date.now();
  const templateUrl = await createTemplate(target);
  console.log(`[tests] ${target} template database ready in ${Date.now() - started} ms`);
  project.provide("templateDatabaseUrl", templateUrl);
  return async () => {
    await dropTemplate(templateUrl);
  };
}
