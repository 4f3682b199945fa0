import type { ReactElement } from 'react';

export default function IntegrationsPage(): ReactElement {
  return (
    <section>
      <h1>Integrations</h1>
    </section>
  );
}
