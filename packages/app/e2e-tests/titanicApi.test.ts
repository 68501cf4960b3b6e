import { expect, Locator, Page, test } from '@playwright/test';
import { signInAsGuest } from './signIn';

/*
 * Issue 18 end to end: the Titanic API page's "Try it out" calls the Titanic API that
 * scripts/portal runs beside the portal (titanic-service on an embedded PGlite seeded with the
 * 887 passengers), across origins, through the service's CORS.
 */
const API_PAGE = '/catalog/default/api/titanic-api';

/** The Swagger UI block of one operation, opened and switched to "Try it out". */
async function tryItOut(page: Page, method: string, summary: string) {
  const operation = page
    .locator(`.opblock-${method.toLowerCase()}`)
    .filter({ hasText: summary });
  await operation.locator('.opblock-summary').click();
  await operation.getByRole('button', { name: 'Try it out' }).click();
  return operation;
}

/** Presses Execute and returns the response the browser received from the Titanic API. */
async function execute(page: Page, operation: Locator, server: string) {
  const response = page.waitForResponse(
    candidate =>
      candidate.url().startsWith(`${server}/people`) &&
      candidate.request().method() !== 'OPTIONS',
  );
  await operation.getByRole('button', { name: 'Execute' }).click();
  return response;
}

test.describe('the Titanic API page', () => {
  test('"Try it out" on GET /people answers 200 with the 887 passengers', async ({
    page,
  }, testInfo) => {
    await signInAsGuest(page);
    await page.goto(API_PAGE);
    // The definition names the Titanic API beside the portal as its server.
    const server = await page
      .locator('.servers select option:checked')
      .textContent();
    expect(server).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);

    const operation = await tryItOut(page, 'GET', 'Get all people');
    const response = await execute(page, operation, server!);
    expect(response.status()).toBe(200);
    const people = await response.json();
    expect(people).toHaveLength(887);
    expect(people[0]).toMatchObject({
      name: 'Mr. Owen Harris Braund',
      passengerClass: 3,
    });

    const result = operation.locator(
      '.responses-wrapper .live-responses-table',
    );
    await expect(result.locator('tr.response .response-col_status')).toHaveText(
      '200',
    );
    await expect(
      result.locator('tr.response .response-col_description'),
    ).toContainText('Mr. Owen Harris Braund');
    await operation.screenshot({
      path: testInfo.outputPath('titanic-api-get-people.png'),
    });
  });

  test('"Try it out" on POST /people with a bad body shows the 400 naming the field', async ({
    page,
  }, testInfo) => {
    await signInAsGuest(page);
    await page.goto(API_PAGE);
    const server = await page
      .locator('.servers select option:checked')
      .textContent();

    const operation = await tryItOut(page, 'POST', 'Add a person');
    const body = operation.locator('textarea.body-param__text');
    const person = JSON.parse(await body.inputValue());
    await body.fill(JSON.stringify({ ...person, passengerClass: 7 }, null, 2));
    const response = await execute(page, operation, server!);
    expect(response.status()).toBe(400);
    expect((await response.json()).errors).toContainEqual({
      field: 'passengerClass',
      problem: 'must be <= 3',
    });

    const result = operation.locator(
      '.responses-wrapper .live-responses-table',
    );
    await expect(result.locator('tr.response .response-col_status')).toHaveText(
      /400/,
    );
    await expect(
      result.locator('tr.response .response-col_description'),
    ).toContainText('passengerClass must be <= 3');
    await operation.screenshot({
      path: testInfo.outputPath('titanic-api-post-bad-body.png'),
    });
  });
});
