import type { ReactElement } from 'react';

export default function TeamPage(): ReactElement {
  return (
    <section>
      <h1>Team</h1>
    </section>
  );
}
