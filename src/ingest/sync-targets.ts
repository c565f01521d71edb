/**
 * What to sync, from steward.yaml: the Gerrit host/project pairs (`steward sync`, `steward serve
 * --sync-every`) and the Zuul tenant's projects (`steward ci sync`), narrowed by the command's
 * options. Refused with a CONFIG or USAGE error naming what to add or give.
 */
import type { StewardConfig } from '../config/config-schema.js';
import { StewardError } from '../model/errors.js';
import type { SyncTarget } from './gerrit-sync.js';
import type { ZuulSyncTarget } from './zuul-sync.js';

/** Which host/project pairs to sync: from steward.yaml, narrowed by --host and --project. */
export function syncTargets(config: StewardConfig, o: { host?: string; project?: string[] }): SyncTarget[] {
  if (config.hosts.length === 0) {
    throw new StewardError('CONFIG', 'steward.yaml lists no Gerrit hosts to sync from', {
      hint: 'Add a host, e.g.\n  hosts:\n    - name: review.opendev.org\n      url: https://review.opendev.org\n  projects:\n    - name: openstack/nova',
    });
  }
  const hosts = o.host ? config.hosts.filter((h) => h.name === o.host) : config.hosts;
  if (o.host && hosts.length === 0)
    throw new StewardError('USAGE', `--host ${o.host} is not in steward.yaml (hosts: ${config.hosts.map((h) => h.name).join(', ')})`);
  const hostOf = (p: { host?: string }) => {
    if (p.host) return config.hosts.find((h) => h.name === p.host);
    return config.hosts.length === 1 ? config.hosts[0] : undefined;
  };
  const targets: SyncTarget[] = [];
  if (o.project?.length) {
    for (const name of o.project) {
      const configured = config.projects.find((p) => p.name === name);
      const host = configured ? hostOf(configured) : hosts.length === 1 ? hosts[0] : undefined;
      if (!host) throw new StewardError('USAGE', `say which host ${name} is on: --host NAME, or add it under projects in steward.yaml`);
      targets.push({ host, project: name, coreGroup: configured?.core?.group });
    }
    return targets;
  }
  for (const p of config.projects) {
    const host = hostOf(p);
    if (!host)
      throw new StewardError('CONFIG', `project ${p.name} names no host and steward.yaml lists several`, { field: 'projects[].host' });
    if (hosts.includes(host)) targets.push({ host, project: p.name, coreGroup: p.core?.group });
  }
  if (targets.length === 0)
    throw new StewardError('CONFIG', 'steward.yaml lists no projects to sync', {
      hint: 'Add projects: [{name: ...}] or pass --project NAME.',
    });
  return targets;
}

/** Which Zuul tenant and projects to sync, from steward.yaml's `zuul` section narrowed by --project. */
export function zuulTargets(config: StewardConfig, o: { project?: string[] }): ZuulSyncTarget[] {
  const z = config.zuul;
  if (!z) {
    throw new StewardError('CONFIG', 'steward.yaml has no `zuul` section to sync builds from', {
      hint: 'Add, e.g.\n  zuul:\n    url: https://zuul.opendev.org\n    tenant: openstack',
    });
  }
  let host = z.host;
  if (host && config.hosts.length && !config.hosts.some((h) => h.name === host)) {
    throw new StewardError(
      'CONFIG',
      `zuul.host "${host}" is not one of the hosts in steward.yaml (${config.hosts.map((h) => h.name).join(', ')})`,
      { field: 'zuul.host' },
    );
  }
  if (!host) {
    if (config.hosts.length !== 1) {
      throw new StewardError(
        'CONFIG',
        `say which Gerrit host Zuul reports to: zuul.host (steward.yaml lists ${config.hosts.length === 0 ? 'no hosts' : 'several hosts'})`,
        { field: 'zuul.host' },
      );
    }
    host = config.hosts[0]!.name;
  }
  const projects = o.project?.length ? o.project : (z.projects ?? config.projects.map((p) => p.name));
  if (projects.length === 0)
    throw new StewardError('CONFIG', 'no projects to fetch Zuul builds of', {
      hint: 'List them under zuul.projects or projects, or pass --project NAME.',
    });
  return projects.map((project) => ({ url: z.url, tenant: z.tenant, host: host!, project }));
}
