import type { ReactElement } from 'react';
import { Link } from '../../components/Link';
import { HOME } from '../../app/routes';

/** A Studio address that does not exist. */
export default function NotFoundPage(): ReactElement {
  return (
    <section>
      <h1>Page not found</h1>
      <p>
        There is no page at this address. <Link to={HOME}>Go to Integrations</Link>.
      </p>
    </section>
  );
}
