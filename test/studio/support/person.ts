import type { Page } from 'playwright-core';
import { seriousAxeViolations } from './axe';
import { screenshot } from './chromium';

/**
 * Looks at a page as the suite does for every screen: a full-page screenshot to the test output
 * folder and axe-core's serious/critical violations (expected: none).
 */
export async function lookAt(page: Page, name: string): Promise<void> {
  await screenshot(page, name);
  expect({ page: name, violations: await seriousAxeViolations(page) }).toEqual({
    page: name,
    violations: [],
  });
}

/** Collects uncaught page errors; a page that throws is a failure even when it still renders. */
export function pageErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  return errors;
}

export async function signIn(page: Page, email: string, password: string): Promise<void> {
  await page.goto('/sign-in');
  await page.getByRole('heading', { name: 'Sign in to Flowcard' }).waitFor();
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { name: 'Integrations', level: 1 }).waitFor();
}
