import { expect, test } from "@playwright/test";
import { expectAccessible, openLiveChatAroundTheClock, signIn } from "./support";

test.beforeAll(async ({ browser }) => openLiveChatAroundTheClock(browser));

test("a rep dismisses several waiting guest chats as spam in one action", async ({ browser }) => {
  // Three guests while nobody is online: their chats wait in the queue.
  for (const name of ["Spam Bot 1", "Spam Bot 2", "Real Person"]) {
    const guest = await browser.newContext({ locale: "en-US" });
    expect((await guest.request.post("/help", { form: { name, email: `${name.replace(/ /g, ".").toLowerCase()}@example.com`, topic: "OTHER" } })).ok()).toBe(
      true,
    );
    await guest.close();
  }
  const context = await browser.newContext({ locale: "en-US" });
  const rep = await context.newPage();
  await signIn(rep, "rep1@accounts.example");
  await rep.goto("/rep/chat");
  // Waiting in the queue, or already handed to this rep on opening the console: either may be dismissed.

  const panel = rep.getByTestId("spam-dismissal");
  await panel.getByText("Dismiss spam", { exact: true }).click();
  await panel.getByLabel("Dismiss Spam Bot 1 (EN)").check();
  await panel.getByLabel("Dismiss Spam Bot 2 (EN)").check();
  await expectAccessible(rep);
  await panel.getByRole("button", { name: "Dismiss selected as spam" }).click();
  await expect(panel.getByRole("status")).toHaveText("2 conversations dismissed as spam.");
  const inbox = rep.locator("nav.inbox");
  await expect(inbox).not.toContainText("Spam Bot");
  await expect(inbox).toContainText("Real Person");
  await context.close();
});
