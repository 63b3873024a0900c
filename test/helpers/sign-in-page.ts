// Signing in through the page itself, as a person types it: the sign-in form, then the code.
import type { Page } from 'playwright-core';
import type { TestAccount } from './accounts';

/** Opens ORIGIN/, fills the sign-in form and the 2FA step when asked; waits for the fleet. */
export async function signInWithForm(
  page: Page,
  origin: string,
  account: Pick<TestAccount, 'username' | 'password' | 'authenticator'>,
  options: { recoveryCode?: string } = {},
): Promise<void> {
  await page.goto(`${origin}/`);
  const form = page.getByTestId('sign-in');
  await form.waitFor();
  await form.locator('input[name=username]').fill(account.username);
  await form.locator('input[name=password]').fill(account.password);
  await form.getByRole('button', { name: 'Sign in' }).click();
  const totp = page.getByTestId('sign-in-totp');
  const fleet = page.getByTestId('fleet-view');
  await totp.or(fleet).first().waitFor();
  if (await totp.isVisible()) {
    if (options.recoveryCode) {
      await totp.getByRole('button', { name: /recovery code/ }).click();
      await totp.locator('input[name=recoveryCode]').fill(options.recoveryCode);
    } else {
      if (!account.authenticator) throw new Error(`${account.username} has no authenticator`);
      await totp.locator('input[name=otp]').fill(await account.authenticator.next());
    }
    await totp.getByRole('button', { name: 'Sign in' }).click();
  }
  await fleet.waitFor();
}
