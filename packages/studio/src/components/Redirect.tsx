import { useEffect, type ReactElement } from 'react';
import { navigate } from '../app/router';
import { Loading } from './Loading';

/** Replaces the current location with `to` once rendered. */
export function Redirect(props: { to: string }): ReactElement {
  useEffect(() => navigate(props.to, { replace: true }), [props.to]);
  return <Loading />;
}
