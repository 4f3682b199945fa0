import type { ReactElement } from 'react';

export default function MetaAppPage(): ReactElement {
  return (
    <section>
      <h1>MetaApp</h1>
    </section>
  );
}
