import type { Configuration, Flow, Member } from '../../api/api-types';

/** What the Integrations page's parts share: people by id, flows, and who may manage what. */
export interface IntegrationsData {
  readonly configurations: Configuration[];
  readonly members: Member[];
  readonly flows: Flow[];
  readonly meId: string;
  readonly meName: string;
  readonly isAdmin: boolean;
  reload(): Promise<void>;
}

export const META_CONNECTORS = ['facebook-pages', 'facebook-leads'];

export function memberName(
  data: Pick<IntegrationsData, 'members' | 'meId' | 'meName'>,
  id: string | null | undefined,
): string {
  if (!id) return '—';
  if (id === data.meId) return data.meName;
  const member = data.members.find((candidate) => candidate.id === id);
  return member ? member.name : 'a former member';
}

/** Flows whose trigger or a step uses the configuration. */
export function flowsUsing(flows: readonly Flow[], configurationIds: readonly string[]): Flow[] {
  return flows.filter((flow) => {
    const used = [
      flow.spec?.trigger?.configurationId,
      ...(flow.spec?.steps ?? []).map((s) => s.configurationId),
    ];
    return used.some((id) => id !== undefined && configurationIds.includes(id));
  });
}

export const flowName = (flow: Flow): string => flow.name ?? flow.spec?.name ?? flow.id;

export function mayManage(data: IntegrationsData, configuration: Configuration): boolean {
  return data.isAdmin || configuration.ownerId === data.meId;
}

export function sharingText(configuration: Configuration, data: IntegrationsData): string {
  switch (configuration.sharing.mode) {
    case 'private':
      return 'Private';
    case 'workspace':
      return 'Whole workspace';
    case 'users':
      return `Shared with ${configuration.sharing.userIds.map((id) => memberName(data, id)).join(', ') || 'nobody'}`;
  }
}
