import type { ReactElement } from 'react';

/** How a Workplace admin gets the token of a custom integration, with the permissions to tick. */
export function WorkplaceTokenSteps(): ReactElement {
  return (
    <details className="card" open>
      <summary>
        <strong>How to get a token from a custom integration</strong>
      </summary>
      <ol className="steps">
        <li>In Workplace, open the Admin panel → Integrations.</li>
        <li>Under Custom integrations, choose “Create custom integration”, name it (e.g. “Flowcard”).</li>
        <li>
          Under Permissions, tick: <strong>Read content</strong>, <strong>Manage content</strong>,{' '}
          <strong>Manage groups</strong>, <strong>Impersonate account</strong> and{' '}
          <strong>Message any member</strong>.
        </li>
        <li>Choose “Create access token”, copy it, and paste it below. Workplace shows it only once.</li>
      </ol>
      <p className="hint">
        Workplace itself shut down on 2026-06-01: point the Graph base URL at an archive of the Graph API or
        the bundled emulator.
      </p>
    </details>
  );
}
