/** Whether the store has anything to show: an empty store gets a page that says how to fill it. */
import type { Store } from '../store/engine.js';
import { listProjectNames } from '../store/queries/flow.js';

export interface StoreState {
  engine: string;
  empty: boolean;
  projects: string[];
}

export async function storeState(store: Store): Promise<StoreState> {
  const projects = await listProjectNames(store.db);
  return { engine: store.engine, empty: projects.length === 0, projects };
}
