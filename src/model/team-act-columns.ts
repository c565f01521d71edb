/**
 * The one builder of review act columns ({@link TeamActColumns}): the store's loader
 * (store/queries/reviewers.ts) and the analysis' conversion from act records
 * (analysis/reviewers.ts `actColumnsOf`) both fill it. The act columns are typed arrays sized up
 * front and written by index (no call per act); the changes and labels are numbered as they are met.
 */
import type { TeamActColumns } from './team.js';

export class TeamActColumnsBuilder {
  readonly change: Int32Array;
  readonly patchSet: Int32Array;
  readonly actorId: Int32Array;
  readonly at: Float64Array;
  /** A vote's label as its index in `labels`; -1 for a comment. */
  readonly label: Int32Array;
  readonly value: Int32Array;
  readonly labels: string[] = [];
  /** Store id → index of the changes added (read directly in the loaders' per-act loops: no call). */
  readonly index = new Map<number, number>();
  private readonly changeId: number[] = [];
  private readonly changeNumber: number[] = [];
  private readonly changeOwnerId: number[] = [];
  private readonly changeProject: number[] = [];
  private readonly projects: string[] = [];
  private readonly projectIndex = new Map<string, number>();

  /** Room for `size` acts. */
  constructor(size: number) {
    this.change = new Int32Array(size);
    this.patchSet = new Int32Array(size);
    this.actorId = new Int32Array(size);
    this.at = new Float64Array(size);
    this.label = new Int32Array(size);
    this.value = new Int32Array(size);
  }

  /** Adds change `id` (when new) and returns its index. */
  addChange(id: number, number: number, ownerId: number, project: string): number {
    const known = this.index.get(id);
    if (known !== undefined) return known;
    const k = this.changeId.push(id) - 1;
    this.index.set(id, k);
    this.changeNumber.push(number);
    this.changeOwnerId.push(ownerId);
    let p = this.projectIndex.get(project);
    if (p === undefined) this.projectIndex.set(project, (p = this.projects.push(project) - 1));
    this.changeProject.push(p);
    return k;
  }

  /** The index of label `name` in `labels`, added when new. */
  labelCode(name: string): number {
    const labels = this.labels;
    for (let k = 0; k < labels.length; k++) if (labels[k] === name) return k;
    return labels.push(name) - 1;
  }

  /** The columns of the first `length` acts written. */
  finish(length: number): TeamActColumns {
    return {
      length,
      change: this.change.subarray(0, length),
      patchSet: this.patchSet.subarray(0, length),
      actorId: this.actorId.subarray(0, length),
      at: this.at.subarray(0, length),
      label: this.label.subarray(0, length),
      labels: this.labels,
      value: this.value.subarray(0, length),
      changeId: Int32Array.from(this.changeId),
      changeNumber: Int32Array.from(this.changeNumber),
      changeOwnerId: Int32Array.from(this.changeOwnerId),
      changeProject: Int32Array.from(this.changeProject),
      projects: this.projects,
    };
  }
}
