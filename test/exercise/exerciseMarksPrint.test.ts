import type { Browser } from 'playwright-core';
import { suiteServer } from '../timeline/helpers/suiteServer';
import { pdfText } from '../timeline/helpers/pdfText';
import { api } from '../helpers/accounts';
import { browserSuite, launchChromium } from '../browser/harness';
import { exerciseWorld } from './exerciseWorld';

/**
 * Issue 17: an exercise's HTML export, printed from a browser, carries its mark on every printed
 * page (the band fixed by the print stylesheet), not only above the first.
 */
jest.setTimeout(120_000);

const MARK = 'EXERCISE — DO NOT SEND';
const suite = suiteServer();

browserSuite('exercise mark on printed HTML', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser.close();
  });

  test('Chromium prints the HTML export of an exercise with the mark on every page', async () => {
    const { url } = suite().server;
    const world = await exerciseWorld(url);
    for (let start = 0; start < 120; start += 20) {
      const batch = Array.from({ length: 20 }, (_, i) => api(url, `/api/incidents/${world.id}/log`, { token: world.admin, body: { text: `Entry ${start + i}: phones down in the emergency ward, calls rerouted to the switchboard`, category: 'information' } }));
      for (const reply of await Promise.all(batch)) expect(reply.status).toBe(201);
    }
    const res = await fetch(`${url}/api/incidents/${world.id}/timeline?format=html&lang=en`, { headers: { authorization: `Bearer ${world.admin}` } });
    expect(res.status).toBe(200);
    const context = await browser.newContext();
    try {
      const page = await context.newPage();
      await page.setContent(await res.text());
      const printed = await page.pdf({ format: 'A4', landscape: true, printBackground: true });
      const { pages } = await pdfText(Buffer.from(printed));
      expect(pages.length).toBeGreaterThanOrEqual(3);
      pages.forEach((text, i) => expect({ page: i + 1, marked: text.includes(MARK) }).toEqual({ page: i + 1, marked: true }));
    } finally {
      await context.close();
    }
  });
});
