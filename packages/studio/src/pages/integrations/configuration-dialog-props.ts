import type { Configuration } from '../../api/api-types';
import type { IntegrationsData } from './integrations-data';

export interface ConfigurationDialogProps {
  readonly configuration: Configuration;
  readonly data: IntegrationsData;
  onClose(): void;
  onDone(): Promise<void>;
}
