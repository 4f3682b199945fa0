import type {
  StepConfiguration,
  StepConfigurationSource,
} from '../../../packages/engine/src/runs/step-configuration-source';

/** Configurations for step jobs, held in memory: what ConfigurationCache returns after decryption. */
export class MemoryConfigurations implements StepConfigurationSource {
  private readonly items = new Map<string, StepConfiguration>();

  set(configuration: StepConfiguration): void {
    this.items.set(configuration.id, configuration);
  }

  update(id: string, patch: Partial<StepConfiguration>): void {
    const current = this.items.get(id);
    if (!current) throw new Error(`unknown configuration ${id}`);
    this.items.set(id, { ...current, ...patch });
  }

  async get(id: string): Promise<StepConfiguration | null> {
    return this.items.get(id) ?? null;
  }
}
