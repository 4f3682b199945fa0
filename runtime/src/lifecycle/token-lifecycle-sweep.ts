import type { Clock, Configuration, ConfigurationRepository, ConfigurationStatus } from '@flowcard/engine';
import type { Logger } from 'pino';
import type { ConfigurationResolver } from '../configurations/configuration-resolver';
import type { ConfigurationService } from '../configurations/configuration-service';
import type { ConcernedMessage, ConcernedNotifier } from '../notifications/concerned-notifier';

const DAY_MS = 24 * 60 * 60_000;
const PAGE_SIZE = 100;
const EXPIRY_FIELDS = [
  { field: 'expiresAt', what: 'access token' },
  { field: 'dataAccessExpiresAt', what: 'data access' },
] as const;

export interface SweepReport {
  readonly scanned: number;
  readonly changed: number;
  readonly reminders: number;
  /** Configurations someone else changed meanwhile (another scheduler, an edit): the next sweep looks again. */
  readonly conflicts: number;
}

interface Due {
  readonly key: string;
  readonly field: (typeof EXPIRY_FIELDS)[number]['field'];
  readonly what: string;
  readonly at: Date;
  readonly expired: boolean;
}

/**
 * One pass of the token lifecycle (docs/architecture.md §4): marks configurations `expiring` when `expiresAt` or
 * `dataAccessExpiresAt` is within the reminder lead time, `expired` once past, and sends one reminder
 * per threshold. Thresholds are keys like `dataAccessExpiresAt:15d` / `dataAccessExpiresAt:expired`
 * recorded in the configuration's `remindersSent` by a version-checked update *before* notifying:
 * of two schedulers sweeping at once only the one whose update wins sends, and a second sweep finds
 * the key recorded and sends nothing. (A crash between update and notify loses that reminder rather
 * than sending it twice; the in-app status still shows `expiring`.)
 */
export class TokenLifecycleSweep {
  constructor(
    private readonly configurations: ConfigurationRepository,
    private readonly configurationService: ConfigurationService,
    private readonly resolver: ConfigurationResolver,
    private readonly notifier: ConcernedNotifier,
    private readonly clock: Clock,
    private readonly logger: Logger,
    /** FLOWCARD_REMINDER_DAYS. */
    private readonly reminderDays: number,
  ) {}

  async run(): Promise<SweepReport> {
    const now = this.clock.now();
    const dueBefore = new Date(now.getTime() + this.reminderDays * DAY_MS);
    let afterId: string | undefined;
    const report = { scanned: 0, changed: 0, reminders: 0, conflicts: 0 };
    for (;;) {
      const page = await this.configurations.listDueForLifecycle({
        statuses: ['active', 'expiring', 'expired'],
        dueBefore,
        afterId,
        limit: PAGE_SIZE,
      });
      for (const configuration of page) {
        report.scanned += 1;
        await this.sweepOne(configuration, now, report);
      }
      if (page.length < PAGE_SIZE) break;
      afterId = page[page.length - 1]!.id;
    }
    if (report.changed > 0 || report.conflicts > 0)
      this.logger.info({ lifecycle: report }, 'token lifecycle sweep');
    return report;
  }

  private async sweepOne(
    configuration: Configuration,
    now: Date,
    report: { changed: number; reminders: number; conflicts: number },
  ): Promise<void> {
    const due = this.dueThresholds(configuration, now);
    const status: ConfigurationStatus = due.some((entry) => entry.expired)
      ? 'expired'
      : due.length > 0
        ? 'expiring'
        : configuration.status;
    // An expired threshold also covers its earlier reminder: one message, the one that matters now.
    const recorded = new Set(configuration.remindersSent);
    const toSend = due.filter(
      (entry) =>
        !recorded.has(entry.key) && !(entry.expired === false && recorded.has(`${entry.field}:expired`)),
    );
    const keys = [...recorded];
    for (const entry of due) {
      if (!recorded.has(entry.key)) keys.push(entry.key);
      if (entry.expired && !recorded.has(this.leadKey(entry.field))) keys.push(this.leadKey(entry.field));
    }
    if (status === configuration.status && keys.length === recorded.size) return;
    let updated: Configuration;
    try {
      updated = await this.configurations.update(configuration.id, configuration.version, {
        status,
        remindersSent: [...new Set(keys)],
      });
    } catch (error) {
      if (
        (error as { code?: string }).code === 'FLOWCARD_ERR_STORE_VERSION_CONFLICT' ||
        (error as { code?: string }).code === 'FLOWCARD_ERR_STORE_NOT_FOUND'
      ) {
        report.conflicts += 1;
        return;
      }
      throw error;
    }
    report.changed += 1;
    await this.resolver.invalidate(updated.id);
    if (status !== configuration.status)
      await this.configurationService.record('system', updated, 'configuration.status_changed', {
        from: configuration.status,
        to: status,
      });
    for (const entry of toSend) {
      report.reminders += 1;
      await this.notifier.notifyConcerned(updated, this.reminder(updated, entry));
      await this.configurationService.record('system', updated, 'configuration.reminder_sent', {
        threshold: entry.key,
      });
    }
  }

  private dueThresholds(configuration: Configuration, now: Date): Due[] {
    const due: Due[] = [];
    for (const { field, what } of EXPIRY_FIELDS) {
      const at = configuration[field];
      if (!at) continue;
      if (at.getTime() <= now.getTime())
        due.push({ key: `${field}:expired`, field, what, at, expired: true });
      else if (at.getTime() - now.getTime() <= this.reminderDays * DAY_MS)
        due.push({ key: this.leadKey(field), field, what, at, expired: false });
    }
    return due;
  }

  private leadKey(field: string): string {
    return `${field}:${this.reminderDays}d`;
  }

  private reminder(configuration: Configuration, entry: Due): ConcernedMessage {
    const date = entry.at.toISOString().slice(0, 10);
    const name = `"${configuration.nickname}" (${configuration.connector})`;
    return {
      dedupeKey: `configuration.reminder:${configuration.id}:${entry.key}:${entry.at.getTime()}`,
      kind: entry.expired ? 'configuration.expired' : 'configuration.expiring',
      title: entry.expired
        ? `${configuration.nickname}: ${entry.what} expired`
        : `${configuration.nickname}: ${entry.what} expires on ${date}`,
      body: entry.expired
        ? `The ${entry.what} of ${name} expired on ${date}. Flows using it wait until it is reconnected.`
        : `The ${entry.what} of ${name} expires on ${date}. Reconnect it before then so flows using it keep running.`,
      configurationId: configuration.id,
      data: { threshold: entry.key, field: entry.field, at: entry.at.toISOString() },
    };
  }
}
