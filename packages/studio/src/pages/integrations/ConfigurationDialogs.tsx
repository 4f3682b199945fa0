import type { ReactElement } from 'react';
import type { Configuration } from '../../api/api-types';
import { DeleteConfigurationDialog } from './DeleteConfigurationDialog';
import type { IntegrationsData } from './integrations-data';
import { RenameDialog } from './RenameDialog';
import { RotateTokenDialog } from './RotateTokenDialog';
import { ShareDialog } from './ShareDialog';
import { TransferDialog } from './TransferDialog';

export type ConfigurationAction = 'rename' | 'rotate' | 'share' | 'transfer' | 'delete';

/** The dialog of one configuration action; each closes and reloads the list when done. */
export function ConfigurationDialogs(props: {
  action: ConfigurationAction;
  configuration: Configuration;
  data: IntegrationsData;
  onClose: () => void;
}): ReactElement {
  const done = async (): Promise<void> => {
    props.onClose();
    await props.data.reload();
  };
  const common = {
    configuration: props.configuration,
    data: props.data,
    onClose: props.onClose,
    onDone: done,
  };
  switch (props.action) {
    case 'rename':
      return <RenameDialog {...common} />;
    case 'rotate':
      return <RotateTokenDialog {...common} />;
    case 'share':
      return <ShareDialog {...common} />;
    case 'transfer':
      return <TransferDialog {...common} />;
    case 'delete':
      return <DeleteConfigurationDialog {...common} />;
  }
}
