import type { ReactElement } from 'react';

export default function ApiKeysPage(): ReactElement {
  return (
    <section>
      <h1>ApiKeys</h1>
    </section>
  );
}
