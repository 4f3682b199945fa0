import type { Command } from 'commander';
import { register as emulatorCommand } from './emulator';
import { register as cardRunCommand } from './card-run';
import { register as adminCreateCommand } from './admin-create';
import { register as startCommand } from './start';
import { register as connectorValidateCommand } from './connector-validate';
import { register as connectorPackCommand } from './connector-pack';
import { register as connectorInitCommand } from './connector-init';
import { register as connectorTestCommand } from './connector-test';
import { register as connectorPublishCommand } from './connector-publish';
import { register as connectorLifecycleCommand } from './connector-lifecycle';
import { register as keysRotateCommand } from './keys-rotate';
import { register as demoCommand } from './demo';
import { register as lifecycleSweepCommand } from './lifecycle-sweep';
import { register as dataMoveCommand } from './data-move';

/**
 * Every command file exports `register(program)`; adding a command is one file plus one line here.
 */
type Register = (program: Command) => void;

const commands: Register[] = [
  connectorValidateCommand,
  connectorPackCommand,
  connectorInitCommand,
  connectorTestCommand,
  connectorPublishCommand,
  connectorLifecycleCommand,
  emulatorCommand,
  cardRunCommand,
  startCommand,
  adminCreateCommand,
  keysRotateCommand,
  demoCommand,
  lifecycleSweepCommand,
  dataMoveCommand,
];

export function registerCommands(program: Command): void {
  for (const register of commands) register(program);
}
